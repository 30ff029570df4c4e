"""The passes of `sozmon part` as Dask tasks, each a sozmon process on a worker in a folder of its own: its inputs
arrive as bytes through Dask (task results, which stay on the cluster, or files the worker reads from a URL) and its
outputs go back as bytes, so that the workers need no file system in common with the client. The client merges the
moments (small) and writes the report that the finish task made, block by block; it never holds the areas."""
import hashlib
import json
import os
import resource
import shutil
import subprocess
import tempfile
import time


class PartFailed(RuntimeError):
    """A task of one part failed (after Dask's retries): the part, the verb and sozmon's message."""


def sozmon_task(sozmon, arguments, part, trees=(), outputs=(), fetch=None):
    """One call of the sozmon binary on a worker, in a folder of its own: the files of each of `trees` (relative path
    → bytes; futures of such dicts arrive as their values) are written there first, and each file of `fetch`
    (relative path → URL) is downloaded there by this worker; `{here}` in the arguments stands for that folder, and
    the `outputs` (files or folders, relative to it) come back as bytes, with sozmon's stdout. Nothing of the client's
    file system is read, so the workers need no shared disk; a retry starts in a new folder. Returns the outputs, the
    wall time and the sozmon process's peak RSS (bytes); raises PartFailed with the part and sozmon's message when it
    fails."""
    with tempfile.TemporaryDirectory(prefix="sozmon-task-") as here:
        for tree in trees:
            _write_tree(here, tree)
        for relative, url in (fetch or {}).items():
            _download(url, os.path.join(here, relative), part)
        for output in outputs:
            os.makedirs(os.path.dirname(os.path.join(here, output)), exist_ok=True)
        start = time.perf_counter()
        status, stdout, stderr, peak = _measured([sozmon, *[a.replace("{here}", here) for a in arguments]])
        seconds = time.perf_counter() - start
        if status != 0:
            message = (stderr or stdout).strip().replace(here + os.sep, "")
            raise PartFailed(f"{part}: sozmon {' '.join(arguments[:2])} failed with status {status}: {message}")
        results = {}
        for output in outputs:
            results.update(_read_tree(here, output))
    return {"part": part, "seconds": seconds, "peak_rss": peak, "worker_pid": os.getpid(), "stdout": stdout,
            "worker_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, "files": results}


def _download(url, path, part):
    """Copies `url` to `path` in blocks: http(s) with the standard library, any other fsspec URL (s3://, gs://, …)
    through fsspec and the filesystem package it names (s3fs, gcsfs, …), which the workers must have."""
    import urllib.request
    os.makedirs(os.path.dirname(path), exist_ok=True)
    try:
        if url.startswith(("http://", "https://")):
            source = urllib.request.urlopen(url, timeout=120)
        else:
            import fsspec
            source = fsspec.open(url, "rb").open()
        with source, open(path, "wb") as f:
            shutil.copyfileobj(source, f, 1 << 22)
    except Exception as error:  # the URL's own error (HTTP status, no such bucket, no fsspec implementation …)
        raise PartFailed(f"{part}: cannot read {url} on the worker: {error}") from None


def _pick(result, prefix, only=None, leaving=None):
    """The files of a task's result whose name starts with `prefix` (the part's pieces of a split, a part's folder);
    with `only`, just those names after the prefix; with `leaving`, none of those whose name after it starts so."""
    return {name: data for name, data in result["files"].items() if name.startswith(prefix)
            and (only is None or name[len(prefix):] in only) and (leaving is None or not name[len(prefix):].startswith(leaving))}


def _read_tree(root, relative):
    """The file `relative` under `root`, or every file of the folder, as relative path → bytes."""
    path = os.path.join(root, relative)
    if os.path.isfile(path):
        with open(path, "rb") as f:
            return {relative: f.read()}
    tree = {}
    for folder, _, names in os.walk(path):
        for name in names:
            full = os.path.join(folder, name)
            with open(full, "rb") as f:
                tree[os.path.relpath(full, root)] = f.read()
    return tree


_TABLES = (("input", "table"), ("trends", "table"), ("quarters", "table"))
_MAP = (("input", "geometry"), ("input", "neighbours"))


def _meta(result):
    """How a task went (part, seconds, peak memory, worker), without its outputs."""
    return {k: v for k, v in result.items() if k not in ("files", "stdout")}


def _gathered(result, part):
    """What `part spatial --part K` (or, with `part` None, finish) reads of gather's output: all but the other parts'
    weights (finish: all but any weights)."""
    own = None if part is None else f"part-{part:04d}.weights.csv"
    return {n: d for n, d in result["files"].items() if not n.endswith(".weights.csv") or os.path.basename(n) == own}


def _blocks(client, future, name, size, block):
    """The bytes of file `name` of the task result `future` (`size` bytes), in blocks of `block` bytes, the next block
    asked for while this one is used: the client holds two blocks at most."""
    ask = lambda start: client.submit(lambda r, n, a, b: r["files"][n][a:b], future, name, start, start + block, pure=False)
    pending = ask(0)
    for start in range(0, max(size, 1), block):
        following = ask(start + block) if start + block < size else None
        yield pending.result()
        pending = following


def _fetch_tree(client, future, root, folder, block=1 << 26):
    """Writes the files of the task result `future` under `root` into `folder`, each fetched in blocks of `block`
    bytes, so that the client holds two blocks at a time."""
    sizes = client.submit(lambda r: {n: len(d) for n, d in r["files"].items()}, future, pure=False).result()
    for name, size in sorted(sizes.items()):
        path = os.path.join(folder, os.path.relpath(name, root))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            for data in _blocks(client, future, name, size, block):
                f.write(data)


def _write_part_tables(client, results, prefixes, folder, block=1 << 26):
    """The tables that `part finish --without-part-tables` left (run.json in `folder` lists them with each part's
    SHA-256), written as finish would: the first part's header, then every part's records, byte for byte. Each part's
    `prefixes[k]tables/NAME` is fetched from its apply result (`results[k]`, on the worker that holds it) in blocks of
    `block` bytes, so that the client holds two blocks at a time, and checked against the checksum."""
    record = json.loads(_read(os.path.join(folder, "run.json")))
    names = sorted(record["parts"][0]["tables"])
    for name in names:
        if os.path.basename(name) != name or name.startswith(".") or not name.endswith(".csv"):
            raise PartFailed(f"run.json names a table {name!r}: a file name ending in .csv is expected; nothing is written")
        with open(os.path.join(folder, "tables", name), "wb") as f:
            header = None
            for k, (future, prefix) in enumerate(zip(results, prefixes)):
                path = prefix + "tables/" + name
                size = client.submit(lambda r, n: len(r["files"][n]), future, path, pure=False).result()
                digest, first, seen = hashlib.sha256(), b"", 0  # `first`: the bytes up to the header's end, once seen
                for data in _blocks(client, future, path, size, block):
                    digest.update(data)
                    seen += len(data)
                    if first is not None:  # the header: written once, the same in every part
                        first += data
                        end = first.find(b"\n") + 1
                        if not end and seen < size:
                            continue
                        end, data, first = end or len(first), first, None
                        if header is None:
                            header = data[:end]
                        elif data[:end] != header:
                            raise PartFailed(f"{name}: the header of part {k + 1} differs from that of part 1")
                        else:
                            data = data[end:]
                    f.write(data)
                if digest.hexdigest() != record["parts"][k]["tables"][name]:
                    raise PartFailed(f"{name}: the bytes of part {k + 1} differ from those finish recorded in run.json")


def _check_destination(out):
    """`out` can take a new report: absent, or an empty folder (as sozmon's own check: never a link, a file or a
    folder with anything in it), in a folder that exists."""
    if not os.path.isdir(os.path.dirname(out)):
        raise PartFailed(f"{out}: the folder it would be in, {os.path.dirname(out)}, does not exist")
    if os.path.islink(out):
        raise PartFailed(f"{out}: is a symbolic link; give the path of a folder that does not exist yet")
    if os.path.exists(out) and not os.path.isdir(out):
        raise PartFailed(f"{out}: is a file; choose a folder that does not exist yet")
    if os.path.isdir(out) and os.listdir(out):
        raise PartFailed(f"{out}: already exists and is not empty; choose another output folder or remove it")


def _publish(out, write):
    """Writes the report folder `out` atomically, as sozmon does: `write(staging)` fills a new folder beside it,
    which is then renamed to `out`. It never removes what the run did not create: an empty `out` is removed with
    rmdir (which fails on anything put into it meanwhile), and rename cannot replace a folder that is not empty. A
    failure or an interruption leaves `out` as it was and no staging folder."""
    staging = tempfile.mkdtemp(prefix=f".{os.path.basename(out)}.partial-", dir=os.path.dirname(out))
    try:
        os.chmod(staging, 0o755)
        write(staging)
        try:
            if os.path.lexists(out):
                os.rmdir(out)
            os.rename(staging, out)
        except OSError:
            raise PartFailed(f"{out}: appeared or was filled while the run was going; nothing of it was touched and no "
                             "report was written") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _records(result):
    """A split's result without its parts: the records (split.json, the order files) and how the task went."""
    return {**result, "files": {n: d for n, d in result["files"].items() if not os.path.basename(n).startswith("part-")}}


def _read(path):
    with open(path, "rb") as f:
        return f.read()


def _write_tree(root, files):
    for relative, data in files.items():
        path = os.path.join(root, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)


def _config_files(config, text=None):
    """The config (`text`: the bytes of the file `config`, read here if not given) and the files a part pass reads
    besides its part (a parent table, a names table), as relative path under `config/` → bytes. A path outside the
    config's folder is left as it is (the workers must see it there)."""
    folder, text = os.path.dirname(config), text if text is not None else _read(config)
    files = {os.path.join("config", os.path.basename(config)): text}
    for relative in _config_paths(text, (("input", "parents"), ("names", "table"))):
        try:
            with open(os.path.join(folder, relative), "rb") as f:
                files[os.path.join("config", relative)] = f.read()
        except OSError as error:
            raise PartFailed(f"{os.path.join(folder, relative)}: named by the config, cannot be read ({error.strerror})") from None
    return files


def _toml(text):
    """The config's tables, or none where it is not TOML: sozmon's first pass then says where, with its line."""
    import tomllib
    try:
        return tomllib.loads(text.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}


def _inside(path):
    """Whether a path the config names lies in the config's folder."""
    return not os.path.isabs(path) and not os.path.normpath(path).startswith("..")


def _config_paths(text, keys):
    """The paths of the config (TOML bytes) at `keys` (section, key) that lie in its folder, each once, relative."""
    tables, paths = _toml(text), []
    for section, key in keys:
        value = tables.get(section, {}).get(key)
        if isinstance(value, str) and _inside(value) and os.path.normpath(value) not in paths:
            paths.append(os.path.normpath(value))
    return paths


def _urls(text, data, keys):
    """The files of the config (TOML bytes) at `keys` as relative path under `config/` → their URL under `data`, the
    folder URL that holds them as the config names them. A file named by an absolute path or outside the config's
    folder has no place under `data`: refused, naming the key."""
    tables = _toml(text)
    for section, key in keys:
        value = tables.get(section, {}).get(key)
        if isinstance(value, str) and not _inside(value):
            raise PartFailed(f"{section}.{key} = \"{value}\": with --data the config names its files relative to its own "
                             "folder, as they lie under the --data URL")
    return {os.path.join("config", p): data.rstrip("/") + "/" + p.replace(os.sep, "/") for p in _config_paths(text, keys)}


def _measured(argv):
    """Runs `argv` and returns its exit status, stdout, stderr and peak RSS in bytes. The peak is the program's own
    high-water mark (`VmHWM` in /proc, read every 20 ms while it runs, once it is the program and no longer the fork
    of this one; a run shorter than that reads as 0): getrusage's maxrss of a child would include the RSS of this
    Python process, which Linux carries into the child at fork and exec."""
    name = os.path.basename(argv[0])[:15]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(argv, stdout=out, stderr=err)
        peak = 0
        while True:
            try:
                with open(f"/proc/{process.pid}/status") as status:
                    fields = dict(line.split(":", 1) for line in status if ":" in line)
                if fields.get("Name", "").strip() == name and "VmHWM" in fields:
                    peak = max(peak, int(fields["VmHWM"].split()[0]) * 1024)
            except (OSError, ValueError):
                pass
            try:
                process.wait(timeout=0.02)
                break
            except subprocess.TimeoutExpired:
                pass
        out.seek(0), err.seek(0)
        return process.returncode, out.read().decode(), err.read().decode(), peak


def _local(sozmon, arguments, what, peaks):
    """One call of the sozmon binary on the client; its peak RSS is recorded in `peaks[what]`."""
    status, stdout, stderr, peak = _measured([sozmon, *arguments])
    peaks[what] = max(peaks.get(what, 0), peak)
    if status != 0:
        raise PartFailed(f"{what}: sozmon {' '.join(arguments[:2])} failed with status {status}: {(stderr or stdout).strip()}")
    return stdout


def run(config, parts, out, scheduler=None, local=None, sozmon="sozmon", work=None, retries=2, data=None):
    """Runs the edition of `config` in `parts` parts on a Dask cluster (`scheduler` address, or a LocalCluster of
    `local` workers) and writes the report folder `out`. With `data` (the URL of a folder: http(s):// or any fsspec
    URL), the workers read the config's tables there, as the config names them, and split them; without it, the
    client splits its own files. Returns the number of parts (fewer than asked where there are fewer top-level units:
    a unit is never cut) and the timings: wall time per phase, the time the sozmon processes took on the workers, each
    worker's largest sozmon process and its own Python process's peak, the bytes the workers sent (to each other and
    to the client), and the client's peak memory (its Python process and each of its sozmon calls)."""
    from dask.distributed import Client, LocalCluster

    config, out = os.path.abspath(config), os.path.abspath(out)
    sozmon = shutil.which(sozmon) or os.path.abspath(sozmon)
    if not os.path.isfile(config):
        raise PartFailed(f"{config}: the config file does not exist")
    if not os.access(sozmon, os.X_OK):
        raise PartFailed(f"{sozmon}: no sozmon binary there (give --sozmon PATH)")
    _check_destination(out)
    config_text = _read(config)
    if data:
        _urls(config_text, data, _TABLES + _MAP)  # a file that has no place under `data` is refused before any work
    shipped = _config_files(config, config_text)
    phases, tasks, client_peaks = {}, [], {}
    started = time.perf_counter()
    try:
        cluster = None if scheduler else LocalCluster(n_workers=local or 2, threads_per_worker=1, processes=True,
                                                      dashboard_address=None)
        client = Client(scheduler or cluster, timeout="30s")
    except (OSError, TimeoutError) as error:
        raise PartFailed(f"cannot start or reach the Dask cluster ({scheduler or 'local'}): {error}") from None
    made_work = work is None  # made once the cluster is there, and removed whatever happens after
    work = os.path.abspath(work or tempfile.mkdtemp(prefix=".sozmon-dask-", dir=os.path.dirname(out)))
    try:
        def timed(name, body):
            t = time.perf_counter()
            result = body()
            phases[name] = time.perf_counter() - t
            return result

        def submit(name, key, arguments, trees, outputs, fetch=None, place=None):
            """A sozmon task; with `place` (a part's number), preferably on worker `place` modulo their number, so
            that a pass's parts spread evenly (Dask would put them all beside the one task whose output they read)
            and may still run elsewhere (a worker lost)."""
            spread = sorted(client.scheduler_info()["workers"]) if place is not None else []
            where = dict(workers=[spread[place % len(spread)]], allow_other_workers=True) if spread else {}
            return client.submit(sozmon_task, sozmon, arguments, name, [*shared, *trees], outputs, fetch,
                                 key=key, pure=False, retries=retries, **where)

        def settle(phase, futures):
            """Waits for the tasks and records how each went; their outputs stay on the cluster."""
            for meta in client.gather([client.submit(_meta, f, key=f"{f.key}-meta", pure=False) for f in futures]):
                tasks.append({**meta, "phase": phase})
            return futures

        def each_part(name, build):
            """One task per part (Dask's retries); their outputs (small: moments) are written here under `work`."""
            futures = [submit(p, f"{name}-{k:04d}", *build(k, p), place=k) for k, p in enumerate(names)]
            for future in futures:
                result = future.result()
                _write_tree(work, result.pop("files"))
                tasks.append({**_meta(result), "phase": name})
                future.release()

        task_config = os.path.join("{here}", "config", os.path.basename(config))
        stem = lambda p: p[:-len(".csv")]
        # What every task needs goes to every worker once: the config now, the split's records once split.
        # (Scattered as one value in a list: a dict would be scattered value by value, keyed by its file names.)
        shared = client.scatter([shipped], broadcast=True)
        if data:
            # The split on a worker, which reads the tables at `data`; the parts stay on the workers (a task picks
            # each part's files from the split's result), and only the split's records come here.
            split = submit("split", "split", ["part", "split", task_config, "--parts", str(parts), "--tables-only", "--out",
                                              os.path.join("{here}", "parts")], [], ["parts"], _urls(config_text, data, _TABLES))
            result = timed("split", lambda: client.submit(_records, split, key="split-records", pure=False).result())
            tasks.append({**_meta(result), "phase": "split"})
            names, split_files = result["stdout"].split(), result["files"]
            part_trees = {p: client.submit(_pick, split, os.path.join("parts", stem(p) + "."), key=f"pick-{stem(p)}", pure=False)
                          for p in names}
            del split  # held by the cluster until every part is picked (and made again from `data` if a worker is lost)
        else:
            folder = os.path.join(work, "parts")
            names = timed("split", lambda: _local(sozmon, ["part", "split", config, "--parts", str(parts), "--out", folder],
                                                  "split", client_peaks).split())
            written = os.listdir(folder)
            split_files = {os.path.join("parts", n): _read(os.path.join(folder, n)) for n in written if not n.startswith("part-")}
            # Each part's files go to the cluster once (the client keeps none of them).
            part_trees = {p: client.scatter([{os.path.join("parts", n): _read(os.path.join(folder, n))
                                               for n in written if n.startswith(stem(p) + ".")}])[0]
                          for p in names}
            shutil.rmtree(folder)
        shared = [*shared, *client.scatter([split_files], broadcast=True)]

        def stats(moments, out):
            given = {"moments.json": _read(moments)} if moments else {}
            return lambda k, p: (["part", "stats", task_config, "--part", os.path.join("{here}", "parts", p)]
                                 + (["--moments", os.path.join("{here}", "moments.json")] if moments else [])
                                 + ["--out", os.path.join("{here}", out, stem(p) + ".json")],
                                 [part_trees[p], given], [os.path.join(out, stem(p) + ".json")])

        timed("stats1", lambda: each_part("stats1", stats(None, "stats1")))
        moments1 = os.path.join(work, "moments1.json")
        timed("merge1", lambda: _local(sozmon, ["part", "merge", *[os.path.join(work, "stats1", stem(p) + ".json")
                                                                   for p in names], "--out", moments1], "merge", client_peaks))
        timed("stats2", lambda: each_part("stats2", stats(moments1, "stats2")))
        moments2 = os.path.join(work, "moments2.json")
        timed("merge2", lambda: _local(sozmon, ["part", "merge", *[os.path.join(work, "stats2", stem(p) + ".json")
                                                                   for p in names], "--out", moments2], "merge", client_peaks))
        moments = {"moments.json": _read(moments2)}
        outs = [os.path.join("{here}", "out", stem(p)) for p in names]
        applied = timed("apply", lambda: settle("apply", [
            submit(p, f"apply-{k:04d}", ["part", "apply", task_config, "--part", os.path.join("{here}", "parts", p),
                                         "--moments", os.path.join("{here}", "moments.json"), "--out", outs[k]],
                   [part_trees[p], moments], [os.path.join("out", stem(p))], place=k) for k, p in enumerate(names)]))
        del part_trees  # the parts are no longer needed on the cluster
        # Finish leaves the parts' tables to this client, which streams them from the workers into the report (Parquet
        # excepted: finish types the parts' tables); so they need not all pass through the worker that runs finish.
        stream = "parquet" not in _toml(config_text).get("report", {}).get("formats", [])
        prefixes = [os.path.join("out", stem(p), "") for p in names]
        picked = lambda what, **given: [client.submit(_pick, a, prefix, key=f"{a.key}-{what}", pure=False, **given)
                                        for a, prefix in zip(applied, prefixes)]
        finish, finish_trees = ["--split", os.path.join("{here}", "parts")], [*picked("files", leaving="tables/" if stream else None), moments]
        if stream:
            finish.append("--without-part-tables")
        if "spatial" in _toml(config_text):  # apply wrote each part's [spatial] values
            # [spatial]: all values in the table's order and each part's weights with its halo (gather, a task with
            # the whole map: the geometry or neighbours file from `data` or from here), then each part's local
            # statistics and Moran sums (tasks, each given the values and its own weights); finish merges them.
            if data:
                map_trees, map_urls = [], _urls(config_text, data, _MAP)
            else:
                map_urls = None
                map_trees = client.scatter([{os.path.join("config", p): _read(os.path.join(os.path.dirname(config), p))
                                             for p in _config_paths(config_text, _MAP)}])
            gathered = os.path.join("{here}", "gathered")
            gather = timed("gather", lambda: settle("gather", [submit(
                "gather", "gather", ["part", "gather", task_config, *outs, "--order", os.path.join("{here}", "parts", "order.csv"),
                                     "--out", gathered], [*picked("values", only=("part.json", "values.csv")), *map_trees],
                ["gathered"], map_urls)])[0])
            spatials = timed("spatial", lambda: settle("spatial", [submit(
                p, f"spatial-{k:04d}", ["part", "spatial", task_config, "--gathered", gathered, "--part", str(k + 1),
                                        "--out", os.path.join("{here}", "spatial", stem(p))],
                [client.submit(_gathered, gather, k + 1, key=f"gathered-{k:04d}", pure=False)],
                [os.path.join("spatial", stem(p))], place=k) for k, p in enumerate(names)]))
            finish += ["--gathered", gathered] + [a for p in names for a in ("--spatial", os.path.join("{here}", "spatial", stem(p)))]
            finish_trees += [client.submit(_gathered, gather, None, key="gathered-finish", pure=False),
                             *[client.submit(_pick, f, "spatial", key=f"{f.key}-files", pure=False) for f in spatials]]
        report = timed("finish", lambda: settle("finish", [submit(
            "finish", "finish", ["part", "finish", task_config, *outs, "--moments", os.path.join("{here}", "moments.json"),
                                 *finish, "--out", os.path.join("{here}", "report")], finish_trees, ["report"])])[0])
        def write(staging):
            _fetch_tree(client, report, "report", staging)
            if stream:
                _write_part_tables(client, applied, prefixes, staging)
        timed("write", lambda: _publish(out, write))
        sent = sum(client.run(lambda dask_worker: dask_worker.transfer_outgoing_bytes_total).values())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
        if made_work:
            shutil.rmtree(work, ignore_errors=True)
    wall = time.perf_counter() - started
    workers, worker_processes = {}, {}
    for t in tasks:
        workers[t["worker_pid"]] = max(workers.get(t["worker_pid"], 0), t["peak_rss"])
        worker_processes[t["worker_pid"]] = max(worker_processes.get(t["worker_pid"], 0), t["worker_rss"])
    task_seconds = {name: sum(t["seconds"] for t in tasks if t["phase"] == name) for name in phases if name in {t["phase"] for t in tasks}}
    return {"parts": len(names), "parts_asked": parts, "wall_seconds": wall, "phases": phases, "sozmon_seconds_in_tasks": task_seconds,
            "bytes_sent_by_workers": sent,
            "worker_peak_rss_bytes": sorted(workers.values(), reverse=True),
            "worker_process_peak_rss_bytes": sorted(worker_processes.values(), reverse=True),
            "client_peak_rss_bytes": {"python": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                                      **{f"sozmon part {verb}": peak for verb, peak in client_peaks.items()}}}
