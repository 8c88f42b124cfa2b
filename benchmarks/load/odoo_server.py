#!/usr/bin/env python3
"""Starts Odoo's server (``odoo-bin``): with workers, Odoo starts its
long-polling worker as ``python <this script> gevent``, which ``python -m
odoo`` cannot be."""

import odoo.cli

if __name__ == "__main__":
    odoo.cli.main()
