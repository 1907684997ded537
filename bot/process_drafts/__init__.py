"""Process drafts: `/pacer process draft|publish|history|discard`, the edit forms, and a process file shared in a direct message."""
