// Placeholder: turns a BPF object file into a Swift source with the object as a base64 literal.
