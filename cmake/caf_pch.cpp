// Translation unit that carries the precompiled CAF header (see TraderTargets.cmake).
