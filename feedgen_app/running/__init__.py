"""The run of a build and of the daemon: polling every feed, writing its files, the schedule and the progress a person sees.

Modules: `build`, `poll`, `daemon`, `progress`. Import from the modules themselves."""
