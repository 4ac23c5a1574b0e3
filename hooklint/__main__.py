from hooklint.cli import main

main()
