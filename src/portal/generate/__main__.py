from portal.generate import main

raise SystemExit(main())
