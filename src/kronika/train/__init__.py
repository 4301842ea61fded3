"""Training Kronika's learned components from labelled data (``kronika train``)."""
