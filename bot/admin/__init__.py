"""Running a team: `/pacer` (help, roster, goals, settings) and the team settings form."""
