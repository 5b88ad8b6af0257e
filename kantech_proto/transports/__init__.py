"""asyncio adapters that move bytes between the sans-IO codecs and sockets or serial ports."""
