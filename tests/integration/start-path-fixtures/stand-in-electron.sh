#!/bin/sh
# Stand-in for the Electron binary (the real one cannot be downloaded on the
# build machines): records where and with which arguments it was launched,
# one per line, then exits 0 as a window closed by the user would.
{
  printf '%s\n' "$PWD"
  for arg in "$@"; do printf '%s\n' "$arg"; done
} > "$STAND_IN_ELECTRON_LOG"
