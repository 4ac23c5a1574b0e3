"""The runtime around the engine: the client and background server, the caches, replay of
earlier results, and the standard streams."""
