"""The workshop: engagement, teams, access, agendas, the run and its clock, the screens, progress."""
