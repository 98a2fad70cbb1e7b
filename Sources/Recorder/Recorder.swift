// Loads the BPF program, drains the ring, scans /proc, writes and rotates captures.
