"""A simulated EntraPass gateway: drives real (or emulated) Kantech IP controllers over UDP."""
