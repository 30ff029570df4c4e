# Sourced by the comparison scripts (with $here = Benchmarks/): the peers' venv in Benchmarks/.venv-peers, made anew
# when peers/requirements.txt changed; sets $py to its Python.
if [ ! -x "$here/.venv-peers/bin/python" ] || ! cmp -s "$here/peers/requirements.txt" "$here/.venv-peers/requirements.txt"; then
    python3 -m venv "$here/.venv-peers"
    "$here/.venv-peers/bin/pip" install -q -r "$here/peers/requirements.txt"
    cp "$here/peers/requirements.txt" "$here/.venv-peers/requirements.txt"
fi
py="$here/.venv-peers/bin/python"
