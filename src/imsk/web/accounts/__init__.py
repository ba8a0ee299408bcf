"""accounts: who uses imsk, in which role, for which service; sign-in with a second factor."""
