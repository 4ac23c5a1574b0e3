/* A native stand-in for a `helm template` process, used by bench/render.py when no helm binary is
 * on PATH: it loads Helm's Go SDK (libhelm_c, shipped in the helm-python-sdk wheel), loads the
 * chart, renders it with default values and writes the rendered templates (as JSON) to stdout.
 * Same Go code as Helm, no Python in front of it: process start, Go runtime and package
 * initialisation, chart loading and rendering. A real `helm template` also builds its cobra
 * command tree and sorts and prints the manifests, so this is, if anything, a little faster.
 *
 *     cc -O2 -o helm_template bench/helm_template.c -ldl
 *     ./helm_template path/to/libhelm_c.so CHART_DIR */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef int32_t (*load_fn)(const char *, uint64_t *, char **);
typedef int32_t (*render_fn)(uint64_t, const char *, const char *, char **, char **);

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s LIBHELM_C CHART\n", argv[0]);
        return 2;
    }
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        fprintf(stderr, "%s\n", dlerror());
        return 2;
    }
    load_fn load = (load_fn)dlsym(lib, "helm_chart_load");
    render_fn render = (render_fn)dlsym(lib, "helm_render");
    if (!load || !render) {
        fprintf(stderr, "libhelm_c: missing symbols\n");
        return 2;
    }
    uint64_t chart = 0;
    char *err = NULL, *out = NULL;
    if (load(argv[2], &chart, &err) != 0) {
        fprintf(stderr, "Error: %s\n", err ? err : "load failed");
        return 1;
    }
    if (render(chart, NULL, "{\"name\":\"release-name\",\"namespace\":\"default\"}", &out, &err) != 0) {
        fprintf(stderr, "Error: %s\n", err ? err : "render failed");
        return 1;
    }
    fputs(out, stdout);
    return 0;
}
