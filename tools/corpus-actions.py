#!/usr/bin/env python3
"""Count remote `uses:` references in ../shared/corpus (or a given folder).

Prints one line per action (owner/repo[/path], lower case), most used first, with
its count and the running share of all remote uses, so a reader sees how far
down the list the knowledge base must go to cover a given share (issue: 98%).
Local actions (./...) and docker:// images are counted separately.

Usage: tools/corpus-actions.py [CORPUS_DIR] [--tsv]
"""
import os
import re
import sys
from collections import Counter

OWNER_REPO = re.compile(r'^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+')
USES = re.compile(r'^\s*(?:-\s+)?uses:\s*["\']?([^"\'\s#]+)', re.M)


def scan(root):
    remote, local, docker = Counter(), 0, 0
    for d, _, files in os.walk(root):
        for f in files:
            if not f.endswith(('.yml', '.yaml')):
                continue
            with open(os.path.join(d, f), encoding='utf-8', errors='replace') as fh:
                for m in USES.finditer(fh.read()):
                    ref = m.group(1)
                    if ref.startswith('./') or ref.startswith('.\\'):
                        local += 1
                    elif ref.startswith('docker://'):
                        docker += 1
                    elif '${{' in ref or not OWNER_REPO.match(ref):
                        continue  # templated (starter workflows) or not a name
                    else:
                        name = ref.split('@', 1)[0].lower().rstrip('/')
                        # reusable workflows are counted too; they are marked
                        remote[name] += 1
    return remote, local, docker


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    root = args[0] if args else os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'corpus')
    remote, local, docker = scan(root)
    total = sum(remote.values())
    run = 0
    print(f'# remote uses: {total} in {len(remote)} names; local: {local}; docker://: {docker}')
    for i, (name, n) in enumerate(remote.most_common(), 1):
        run += n
        kind = 'workflow' if '/.github/workflows/' in name else 'action'
        print(f'{i}\t{n}\t{100.0 * run / total:.2f}%\t{kind}\t{name}')


if __name__ == '__main__':
    main()
