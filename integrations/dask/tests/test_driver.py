"""The driver's own helpers, without a cluster: where a report may go, how it is put there, which files of the config
the workers are sent or fetch. Run by scripts/dask-test (python -m unittest discover integrations/dask/tests)."""
import os
import tempfile
import unittest

from sozmon_dask.driver import (PartFailed, _check_destination, _config_files, _config_paths, _gathered, _pick, _publish, _urls,
                                _write_part_tables)


class Destination(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp()

    def write_report(self, staging):
        os.makedirs(os.path.join(staging, "tables"))
        with open(os.path.join(staging, "tables", "areas.csv"), "w") as f:
            f.write("area_id\n01\n")

    def test_absent_or_empty_is_taken(self):
        for name, make in (("absent", False), ("empty", True)):
            out = os.path.join(self.root, name)
            if make:
                os.mkdir(out)
            _check_destination(out)
            _publish(out, self.write_report)
            self.assertEqual(os.listdir(out), ["tables"])
        self.assertEqual(sorted(os.listdir(self.root)), ["absent", "empty"])  # no staging folder left

    def test_refused_before_any_work(self):
        full = os.path.join(self.root, "full")
        os.mkdir(full)
        open(os.path.join(full, "mine.txt"), "w").close()
        link = os.path.join(self.root, "link")
        os.symlink(self.root, link)
        afile = os.path.join(self.root, "file")
        open(afile, "w").close()
        for out, expected in ((full, "not empty"), (link, "symbolic link"), (afile, "is a file"),
                              (os.path.join(self.root, "no", "such"), "does not exist")):
            with self.assertRaises(PartFailed) as caught:
                _check_destination(out)
            self.assertIn(expected, str(caught.exception))

    def test_a_folder_filled_meanwhile_is_left_as_it_is(self):
        out = os.path.join(self.root, "report")
        os.mkdir(out)

        def write(staging):  # while the report is written, someone puts a file into the folder
            self.write_report(staging)
            with open(os.path.join(out, "theirs.txt"), "w") as f:
                f.write("keep me")

        with self.assertRaises(PartFailed) as caught:
            _publish(out, write)
        self.assertIn("was filled while the run was going", str(caught.exception))
        self.assertEqual(os.listdir(out), ["theirs.txt"])
        self.assertEqual(os.listdir(self.root), ["report"])

    def test_a_failure_or_interruption_leaves_nothing(self):
        out = os.path.join(self.root, "report")
        for error in (OSError("no space left on device"), KeyboardInterrupt()):
            def write(staging):
                self.write_report(staging)
                raise error
            with self.assertRaises(type(error)):
                _publish(out, write)
            self.assertEqual(os.listdir(self.root), [])


class ConfigFiles(unittest.TestCase):
    def test_paths_inside_the_config_folder_once(self):
        text = b'[input]\ntable = "a.csv"\ngeometry = "../elsewhere/map.geojson"\n[trends]\ntable = "./a.csv"\n' \
               b'[quarters]\ntable = "sub/q.csv"\n'
        self.assertEqual(_config_paths(text, (("input", "table"), ("trends", "table"), ("quarters", "table"),
                                              ("input", "geometry"))), ["a.csv", "sub/q.csv"])
        self.assertEqual(_urls(text, "s3://bucket/city/", (("input", "table"), ("quarters", "table"))),
                         {"config/a.csv": "s3://bucket/city/a.csv", "config/sub/q.csv": "s3://bucket/city/sub/q.csv"})

    def test_data_needs_paths_inside_the_config_folder(self):
        for path in ("/srv/city/a.csv", "../other/a.csv"):
            with self.assertRaises(PartFailed) as caught:
                _urls(f'[input]\ntable = "{path}"\n'.encode(), "https://example.org/city", (("input", "table"),))
            self.assertIn(f'input.table = "{path}": with --data', str(caught.exception))

    def test_a_missing_file_the_config_names_is_said(self):
        folder = tempfile.mkdtemp()
        config = os.path.join(folder, "index.toml")
        with open(config, "w") as f:
            f.write('[input]\ntable = "a.csv"\nparents = "eltern.csv"\n')
        with self.assertRaises(PartFailed) as caught:
            _config_files(config)
        self.assertIn("eltern.csv: named by the config, cannot be read (No such file or directory)", str(caught.exception))
        open(os.path.join(folder, "eltern.csv"), "w").close()
        self.assertEqual(sorted(_config_files(config)), ["config/eltern.csv", "config/index.toml"])

    def test_a_config_that_is_not_toml_is_left_to_sozmon(self):
        self.assertEqual(_config_paths(b'[input\ntable = "a.csv"', (("input", "table"),)), [])
        self.assertEqual(_urls(b"\xff\xfe", "https://example.org/", (("input", "table"),)), {})

    def test_each_spatial_task_gets_its_own_weights(self):
        result = {"files": {"gathered/values.csv": b"v", "gathered/part-0001.weights.csv": b"w1",
                            "gathered/part-0002.weights.csv": b"w2", "gathered/task.json": b"t"}}
        self.assertEqual(sorted(_gathered(result, 2)), ["gathered/part-0002.weights.csv", "gathered/task.json",
                                                        "gathered/values.csv"])
        self.assertEqual(sorted(_gathered(result, None)), ["gathered/task.json", "gathered/values.csv"])

    def test_a_pass_gets_only_the_files_it_reads(self):
        result = {"files": {"out/part-0001/part.json": b"p", "out/part-0001/values.csv": b"v",
                            "out/part-0001/tables/areas.csv": b"a", "out/part-0010/values.csv": b"x"}}
        prefix = "out/part-0001/"
        self.assertEqual(sorted(_pick(result, prefix)), ["out/part-0001/part.json", "out/part-0001/tables/areas.csv",
                                                         "out/part-0001/values.csv"])
        self.assertEqual(sorted(_pick(result, prefix, only=("part.json", "values.csv"))),
                         ["out/part-0001/part.json", "out/part-0001/values.csv"])
        self.assertEqual(sorted(_pick(result, prefix, leaving="tables/")), ["out/part-0001/part.json", "out/part-0001/values.csv"])


class _Done:
    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


class _Client:
    """Runs what is submitted at once, on the value the 'future' stands for."""
    def submit(self, function, future, *arguments, pure=True):
        return _Done(function(future, *arguments))


class PartTablesTest(unittest.TestCase):
    """The tables finish leaves to the client: the parts' bytes one after the other, the header once, in blocks."""

    def report(self, parts, checksums=None):
        import hashlib, json
        folder = tempfile.mkdtemp()
        os.makedirs(os.path.join(folder, "tables"))
        sums = checksums or [{"areas.csv": hashlib.sha256(p).hexdigest()} for p in parts]
        with open(os.path.join(folder, "run.json"), "w") as f:
            json.dump({"parts": [{"folder": str(k), "tables": s} for k, s in enumerate(sums)]}, f)
        results = [{"files": {f"out/{k}/tables/areas.csv": p}} for k, p in enumerate(parts)]
        return folder, results, [f"out/{k}/" for k in range(len(parts))]

    def test_header_once_in_blocks_of_any_size(self):
        parts = [b"id,x\n1,2\n3,4\n", b"id,x\n", b"id,x\n5,6\n"]
        for block in (1 << 26, 7, 3):
            folder, results, prefixes = self.report(parts)
            _write_part_tables(_Client(), results, prefixes, folder, block=block)
            with open(os.path.join(folder, "tables", "areas.csv"), "rb") as f:
                self.assertEqual(f.read(), b"id,x\n1,2\n3,4\n5,6\n", f"block {block}")

    def test_other_headers_or_bytes_are_refused(self):
        folder, results, prefixes = self.report([b"id,x\n1,2\n", b"id,y\n3,4\n"])
        with self.assertRaisesRegex(PartFailed, "areas.csv: the header of part 2 differs"):
            _write_part_tables(_Client(), results, prefixes, folder)
        folder, results, prefixes = self.report([b"id,x\n1,2\n"], checksums=[{"areas.csv": "0" * 64}])
        with self.assertRaisesRegex(PartFailed, "areas.csv: the bytes of part 1 differ from those finish recorded"):
            _write_part_tables(_Client(), results, prefixes, folder)

    def test_a_table_name_cannot_leave_the_report(self):
        for name in ("../../escaped.csv", "sub/areas.csv", ".hidden.csv", "areas.txt"):
            folder, results, prefixes = self.report([b"id\n1\n"], checksums=[{name: "0" * 64}])
            with self.assertRaisesRegex(PartFailed, "a file name ending in .csv is expected"):
                _write_part_tables(_Client(), results, prefixes, folder)
            self.assertFalse(os.path.exists(os.path.join(folder, "..", "..", "escaped.csv")))


if __name__ == "__main__":
    unittest.main()
