"""Configuration: `.hooklint.yaml` or `[tool.hooklint]` in pyproject.toml, found from the chart upwards.

Every key is validated; unknown keys, rule ids and option names are configuration errors (exit 2)
with the nearest valid spelling suggested. The nearest configuration file wins (no merging), like
Ruff; `--config FILE` replaces discovery and `--no-config` disables it.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path

from hooklint.errors import ConfigError
from hooklint.lint.catalog import PRESETS, TARGETS, Catalog, Rule, suggest
from hooklint.runtime.records import Record

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

CONFIG_NAMES = (".hooklint.yaml", ".hooklint.yml")
TOP_KEYS = (
    "select", "ignore", "severity", "options", "per-path-ignores", "values", "ci-values",
    "target", "helm-version", "charts", "fail-on", "extends",
)
CHART_KEYS = ("values", "ci-values", "target", "helm-version", "select", "ignore", "extends")
SEVERITY_VALUES = ("error", "warning", "info", "off")


class Config(Record):
    """Validated settings. Rule keys are normalised to ids. Its repr is part of the result
    cache's key (hooklint.lint.result_cache)."""

    _fields = ("source", "select", "ignore", "severity", "options", "per_path_ignores", "values", "ci_values",
               "target", "helm_version", "charts", "fail_on", "extends")

    def __init__(self, source: Path | None = None, select: list[str] | None = None, ignore: list[str] | None = None,
                 severity: dict[str, str] | None = None, options: dict[str, dict[str, Any]] | None = None,
                 per_path_ignores: dict[str, list[str]] | None = None, values: list[str] | None = None,
                 ci_values: bool = False, target: str | None = None, helm_version: str | None = None,
                 charts: dict[str, dict[str, Any]] | None = None, fail_on: str | None = None,
                 extends: list[str] | None = None) -> None:
        self.source = source
        self.select = select  # None: every rule
        self.ignore: list[str] = [] if ignore is None else ignore
        self.severity: dict[str, str] = {} if severity is None else severity
        self.options: dict[str, dict[str, Any]] = {} if options is None else options
        # glob -> ids ("*" = all)
        self.per_path_ignores: dict[str, list[str]] = {} if per_path_ignores is None else per_path_ignores
        self.values: list[str] = [] if values is None else values
        self.ci_values = ci_values
        self.target = target  # None: from helm-version, else the default Helm (resolve_profile)
        self.helm_version = helm_version
        self.charts: dict[str, dict[str, Any]] = {} if charts is None else charts
        self.fail_on = fail_on
        self.extends: list[str] = [] if extends is None else extends  # presets whose opt-in rules are enabled

    def enables(self, rule: Rule) -> bool:
        """Whether the configuration turns on an opt-in rule: a preset it extends, an explicit
        `select` of the rule, or a severity for it."""
        if any(p in self.extends for p in rule.presets):
            return True
        if self.select is not None and rule.id in self.select:
            return True
        return self.severity.get(rule.id) not in (None, "off")

    @property
    def base_dir(self) -> Path:
        return self.source.parent if self.source else Path.cwd()

    def for_chart(self, chart_dir: Path) -> Config:
        """This config with the `charts:` entry that matches `chart_dir` applied."""
        try:
            rel = chart_dir.resolve().relative_to(self.base_dir.resolve()).as_posix()
        except ValueError:
            return self
        for pattern, over in sorted(self.charts.items()):
            if fnmatch.fnmatch(rel, pattern.rstrip("/")):
                merged = Config(**{**self.__dict__})
                merged.values = list(over.get("values", self.values))
                merged.ci_values = bool(over.get("ci-values", self.ci_values))
                merged.target = over.get("target", self.target)
                merged.helm_version = over.get("helm-version", self.helm_version)
                if "select" in over:
                    merged.select = list(over["select"])
                merged.ignore = self.ignore + list(over.get("ignore", []))
                merged.extends = list(over.get("extends", self.extends))
                return merged
        return self

    def path_ignored(self, rule_id: str, paths: list[str]) -> str | None:
        """The per-path-ignores glob that silences `rule_id` at any of `paths`, if one does."""
        for pattern, ids in self.per_path_ignores.items():
            if "*" in ids or rule_id in ids:
                if any(fnmatch.fnmatch(p, pattern) or fnmatch.fnmatch(p, pattern.rstrip("/") + "/*")
                       for p in paths):
                    return pattern
        return None


def discover(start: Path) -> Path | None:
    """The nearest `.hooklint.yaml`/`.yml`, or pyproject.toml with `[tool.hooklint]`, from `start` up."""
    from hooklint.runtime.replay import depends_on

    here = start.resolve()
    if here.is_file():
        here = here.parent
    for d in (here, *here.parents):
        # every place probed is an input of the run (a config file created there later changes it)
        for name in CONFIG_NAMES:
            depends_on(d / name)
            if (d / name).is_file():
                return d / name
        pp = d / "pyproject.toml"
        depends_on(pp)
        if pp.is_file() and "[tool.hooklint" in pp.read_text(encoding="utf-8", errors="replace"):
            return pp
        depends_on(d / ".git")
        if (d / ".git").exists():  # the repository root ends the search
            break
    return None


def read_raw(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ConfigError(f"configuration file not found: {path}")
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.name == "pyproject.toml":
        try:
            import tomllib
        except ModuleNotFoundError:  # Python 3.10
            try:
                import tomli as tomllib  # type: ignore[no-redef]
            except ModuleNotFoundError:
                raise ConfigError(f"{path}: reading pyproject.toml needs Python 3.11+ or 'tomli'") from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise ConfigError(f"{path}: invalid TOML: {e}") from None
        tool = data.get("tool")
        raw = tool.get("hooklint", {}) if isinstance(tool, dict) else {}
    else:
        import yaml

        try:
            raw = yaml.safe_load(text)
        except yaml.YAMLError as e:
            raise ConfigError(f"{path}: invalid YAML: {e}") from None
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: the configuration must be a mapping")
    return raw


def load_config(path: Path | None, catalog: Catalog) -> Config:
    if path is None:
        return Config()
    return validate(read_raw(path), catalog, path)


def _ids(value: Any, where: str, catalog: Catalog, allow_all: bool = False) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of rule ids or names")
    out = []
    for v in value:
        if allow_all and v in ("*", "all"):
            out.append("*")
            continue
        out.append(catalog.resolve(v, f"rule in {where}").id)
    return out


def _check_keys(raw: dict[str, Any], allowed: tuple[str, ...], where: str) -> None:
    for key in raw:
        if key not in allowed:
            raise ConfigError(f"{where}: unknown key '{key}'{suggest(str(key), allowed)}")


def _option_value(rule: Rule, name: str, value: Any, where: str) -> Any:
    spec = rule.options.get(name)
    if spec is None:
        names = tuple(rule.options)
        hint = suggest(name, names) or (f" (options: {', '.join(names)})" if names else " (this rule has no options)")
        raise ConfigError(f"{where}: unknown option '{name}' for {rule.id}{hint}")
    kind = spec["type"]
    ok = {
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "string": isinstance(value, str),
        "boolean": isinstance(value, bool),
        "string-list": isinstance(value, list) and all(isinstance(v, str) for v in value),
    }[kind]
    if not ok:
        raise ConfigError(f"{where}.{name}: expected {kind}, got {value!r}")
    return value


def validate(raw: dict[str, Any], catalog: Catalog, source: Path | None = None) -> Config:
    where = str(source) if source else "configuration"
    _check_keys(raw, TOP_KEYS, where)
    cfg = Config(source=source)
    if "select" in raw:
        cfg.select = _ids(raw["select"], f"{where}: select", catalog, allow_all=True)
        if "*" in cfg.select:
            cfg.select = None
    if "ignore" in raw:
        cfg.ignore = _ids(raw["ignore"], f"{where}: ignore", catalog)
    sev = raw.get("severity", {})
    if not isinstance(sev, dict):
        raise ConfigError(f"{where}: severity must map rule ids to one of {', '.join(SEVERITY_VALUES)}")
    for key, level in sev.items():
        rule = catalog.resolve(str(key), f"rule in {where}: severity")
        if level is False:  # YAML 1.1 reads an unquoted `off` (also `no`, `false`) as false
            level = "off"
        if level not in SEVERITY_VALUES:
            raise ConfigError(f"{where}: severity.{key}: '{level}' is not one of "
                              f"{', '.join(SEVERITY_VALUES)}{suggest(str(level), SEVERITY_VALUES)}")
        cfg.severity[rule.id] = level
    opts = raw.get("options", {})
    if not isinstance(opts, dict):
        raise ConfigError(f"{where}: options must map rule ids to option mappings")
    for key, values in opts.items():
        rule = catalog.resolve(str(key), f"rule in {where}: options")
        if not isinstance(values, dict):
            raise ConfigError(f"{where}: options.{key} must be a mapping")
        cfg.options[rule.id] = {
            str(n): _option_value(rule, str(n), v, f"{where}: options.{key}") for n, v in values.items()
        }
    ppi = raw.get("per-path-ignores", {})
    if not isinstance(ppi, dict):
        raise ConfigError(f"{where}: per-path-ignores must map path globs to rule lists")
    for glob, ids in ppi.items():
        cfg.per_path_ignores[str(glob)] = _ids(ids, f"{where}: per-path-ignores.{glob}", catalog, allow_all=True)
    if "values" in raw:
        vals = raw["values"]
        if not isinstance(vals, list) or not all(isinstance(v, str) for v in vals):
            raise ConfigError(f"{where}: values must be a list of values files (relative to the chart)")
        cfg.values = list(vals)
    if "ci-values" in raw:
        if not isinstance(raw["ci-values"], bool):
            raise ConfigError(f"{where}: ci-values must be true or false")
        cfg.ci_values = raw["ci-values"]
    if "target" in raw:
        cfg.target = check_target(raw["target"], where)
    if "helm-version" in raw:
        cfg.helm_version = str(raw["helm-version"])
        parse_helm_version(cfg.helm_version, f"{where}: helm-version")
    if "fail-on" in raw:
        if raw["fail-on"] not in ("error", "warning", "info"):
            raise ConfigError(f"{where}: fail-on must be error, warning or info")
        cfg.fail_on = raw["fail-on"]
    if "extends" in raw:
        cfg.extends = _presets(raw["extends"], f"{where}: extends")
    charts = raw.get("charts", {})
    if not isinstance(charts, dict):
        raise ConfigError(f"{where}: charts must map chart path globs to settings")
    for pattern, over in charts.items():
        if not isinstance(over, dict):
            raise ConfigError(f"{where}: charts.{pattern} must be a mapping")
        _check_keys(over, CHART_KEYS, f"{where}: charts.{pattern}")
        over = dict(over)
        if "target" in over:
            over["target"] = check_target(over["target"], f"{where}: charts.{pattern}")
        if "helm-version" in over:
            over["helm-version"] = str(over["helm-version"])
            parse_helm_version(over["helm-version"], f"{where}: charts.{pattern}.helm-version")
        for k in ("select", "ignore"):
            if k in over:
                over[k] = _ids(over[k], f"{where}: charts.{pattern}.{k}", catalog)
        if "extends" in over:
            over["extends"] = _presets(over["extends"], f"{where}: charts.{pattern}.extends")
        cfg.charts[str(pattern)] = over
    return cfg


def _presets(value: Any, where: str) -> list[str]:
    """`extends: strict` or a list of presets."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
        raise ConfigError(f"{where}: expected a preset name or a list of them ({', '.join(PRESETS)})")
    for v in items:
        if v not in PRESETS:
            raise ConfigError(f"{where}: unknown preset '{v}'{suggest(v, PRESETS)} (one of {', '.join(PRESETS)})")
    return list(items)


def check_target(value: Any, where: str) -> str:
    if value not in TARGETS:
        raise ConfigError(f"{where}: unknown target '{value}'{suggest(str(value), TARGETS)} "
                          f"(one of {', '.join(TARGETS)})")
    return str(value)


# The Helm version each target profile assumes when neither the command line nor the configuration
# names one. helm3/helm4 follow the helm installed here when its major matches
# (hooklint.runtime.default_helm), else Helm 3.17 (the version hooklint follows for Helm 3) and the
# newest 4.x release it was checked against. Argo CD only runs `helm template`, so the runtime
# version does not apply there; Flux's helm-controller embeds the Helm SDK (configure
# `helm-version` to match your Flux release).
DEFAULT_HELM_VERSION = {"helm3": (3, 17), "helm4": (4, 2), "argocd": (4, 2), "flux": (4, 2)}
SUPPORTED_MAJORS = (3, 4)


def parse_helm_version(value: Any, where: str) -> tuple[int, int]:
    """`3`, `3.18`, `v3.18.2`, `4.1.0` -> (major, minor); Helm 2 and unknown majors are errors."""
    import re

    m = re.fullmatch(r"v?([0-9]+)(?:\.([0-9]+))?(?:\.[0-9]+)?(?:[-+][0-9A-Za-z.-]+)?", str(value).strip())
    if m is None:
        raise ConfigError(f"{where}: '{value}' is not a Helm version (e.g. 3.17, 3.18.4, 4.1)")
    major, minor = int(m.group(1)), int(m.group(2) or 0)
    if major not in SUPPORTED_MAJORS:
        raise ConfigError(f"{where}: Helm {major} is not supported (hooklint checks Helm 3 and Helm 4)")
    return major, minor


def resolve_profile(target: str | None, helm_version: str | None) -> tuple[str, tuple[int, int]]:
    """The target profile and Helm version a rendering is checked against.

    Without a target, the Helm version picks helm3 or helm4; with neither, the default Helm
    (the helm on PATH, else 3.17.1) decides both; with a target but no version, the target's
    default. A helm3/helm4 target that contradicts the version's major is a configuration error.
    """
    from hooklint.runtime.default_helm import default_helm

    version = parse_helm_version(helm_version, "helm-version") if helm_version else None
    if version is None and target in (None, "helm3", "helm4"):
        found = default_helm().version  # the helm on PATH, else Helm 3.17.1: as render/plan/apply
        if target is None or int(target[-1]) == found[0]:
            version = found[:2]
        else:
            return target, DEFAULT_HELM_VERSION[target]
    if target is None:
        target = "helm3" if version is not None and version[0] == 3 else "helm4"
    if version is None:
        return target, DEFAULT_HELM_VERSION[target]
    if target in ("helm3", "helm4") and version[0] != int(target[-1]):
        raise ConfigError(f"target {target} contradicts helm-version {helm_version}: "
                          f"use target helm{version[0]} (or drop one of the two)")
    return target, version
