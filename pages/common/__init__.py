"""What several pages share: sign-in, the shared reads and store, the instant switch."""
