from gunstats.cli import main

main()
