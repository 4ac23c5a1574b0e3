from hooklint.cli import main
from hooklint.runtime.client import exit_without_collecting

try:
    main()
finally:
    exit_without_collecting()
