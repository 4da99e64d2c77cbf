#!/bin/sh
# Runs the table generator with the Python interpreter named by $PYTHON, or
# python3 on PATH; it needs matplotlib and seaborn (Debian 12:
# python3-matplotlib and python3-seaborn, for /usr/bin/python3).
exec "${PYTHON:-python3}" gen/gen_tables.py
