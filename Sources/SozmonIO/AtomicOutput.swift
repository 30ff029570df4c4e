import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// An output folder that appears complete or not at all: everything is written into a hidden sibling folder, which
/// is renamed to the final name only when `commit()` is called. A run that fails before that leaves the final name
/// untouched; `discard()` removes the partial folder, and so does `AtomicFolder.discardAllOnSignal()` when the
/// process is interrupted. Every path written is checked to stay inside the folder.
public struct AtomicFolder: Sendable {
    /// The folder the results will have when committed.
    public let destination: URL
    /// Where files are written until then.
    public let staging: URL
    /// Partial folders of earlier runs whose process no longer exists, removed by `init` (for a message).
    public let removedLeftovers: [String]

    /// Whether the destination existed (as an empty folder) when the run began: only then may `commit` remove it, and
    /// only while it is still empty.
    let destinationExisted: Bool
    private let created = Counter()

    /// The files created so far (by `create` and `write`), for a progress display.
    public var filesCreated: Int { created.value.load(ordering: .relaxed) }

    private final class Counter: Sendable { let value = Atomic<Int>(0) }

    /// Prepares a staging folder beside `destination`.
    /// - Throws: `OutputError` when `destination` is not a place for a new report (`checkDestination`), or the
    ///   staging folder cannot be created.
    public init(_ destination: URL) throws(OutputError) {
        let fm = FileManager.default
        self.destination = destination.standardizedFileURL
        destinationExisted = try Self.checkDestination(self.destination)
        let parent = self.destination.deletingLastPathComponent()
        let prefix = ".\(self.destination.lastPathComponent).partial-"
        staging = parent.appendingPathComponent(prefix + Self.runTag)
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw OutputError(path: parent.path, writing: error, action: "cannot create the folder")
        }
        removedLeftovers = Self.removeLeftovers(in: parent, prefix: prefix)
        _ = Self.open.withLock { $0.insert(staging.path) }  // before it exists: an interruption from now on removes it
        do {
            if fm.fileExists(atPath: staging.path) { try fm.removeItem(at: staging) }
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
        } catch {
            _ = Self.open.withLock { $0.remove(staging.path) }
            throw OutputError(path: self.destination.path, writing: error, action: "cannot create the output folder")
        }
    }

    /// The staging path of `relativePath`, with its folders created.
    /// - Throws: `OutputError` when the path would leave the report folder (absolute, `..`, empty or over-long
    ///   components, NUL) — whatever a name in the config or the data holds.
    public func url(_ relativePath: String) throws(OutputError) -> URL {
        if let problem = Self.containmentProblem(relativePath) {
            throw OutputError(path: destination.path, message: "refusing to write '\(relativePath)': \(problem)")
        }
        let url = staging.appendingPathComponent(relativePath)
        // Folders are made one level at a time below the staging folder, never the staging folder itself: once an
        // interruption has removed it, no writer thread can bring it back.
        var folder = staging
        for component in relativePath.split(separator: "/").dropLast() {
            folder.appendPathComponent(String(component))
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) && isFolder.boolValue { continue }
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
            } catch {
                // Another writer may have made it just now.
                if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) && isFolder.boolValue { continue }
                throw OutputError(path: folder.path, writing: error, action: "cannot create the folder")
            }
        }
        return url
    }

    /// Why `relativePath` could leave the folder or is no file name, or `nil`.
    static func containmentProblem(_ relativePath: String) -> String? {
        if relativePath.hasPrefix("/") { return "an absolute path" }
        if relativePath.contains("\0") { return "a NUL character in the name" }
        for component in relativePath.split(separator: "/", omittingEmptySubsequences: false) {
            if component.isEmpty || component == "." || component == ".." { return "'\(component)' would leave the report folder" }
            if component.utf8.count > 255 { return "a name longer than 255 bytes" }
        }
        return nil
    }

    /// Writes `text` to `relativePath`.
    public func write(_ text: String, to relativePath: String) throws(OutputError) {
        try write(Array(text.utf8), to: relativePath)
    }

    /// Writes `bytes` to `relativePath`.
    public func write(_ bytes: [UInt8], to relativePath: String) throws(OutputError) {
        let handle = try create(relativePath)
        defer { try? handle.close() }
        do { try handle.write(contentsOf: bytes) } catch {
            throw OutputError(path: staging.appendingPathComponent(relativePath).path, writing: error, action: "cannot write")
        }
    }

    /// Opens `relativePath`, a new file, for streaming writes; the caller closes the handle. (Opened directly:
    /// Foundation's `Data.write` and `FileManager.createFile` sync every file to the disk, which made the pages of a
    /// large report take minutes; the folder is made visible by one rename at the end instead.)
    public func create(_ relativePath: String) throws(OutputError) -> FileHandle {
        let target = try url(relativePath)
        let descriptor = Glibc.open(target.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw OutputError(path: target.path, writing: POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO),
                              action: "cannot create the file")
        }
        created.value.add(1, ordering: .relaxed)
        return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    /// The files written so far, as paths relative to the folder, sorted.
    public func writtenFiles() -> [String] { Self.files(in: staging) }

    /// Whether `destination` can take a new report: absent, or an empty folder (returns true then). Called before
    /// any work, so that a run does not compute for minutes and then refuse.
    /// - Throws: `OutputError` for a symbolic link (dangling or not), a file, or a folder that is not empty.
    @discardableResult
    public static func checkDestination(_ destination: URL) throws(OutputError) -> Bool {
        let path = destination.standardizedFileURL.path
        var info = stat()
        guard lstat(path, &info) == 0 else { return false }
        switch info.st_mode & S_IFMT {
        case S_IFLNK:
            throw OutputError(path: path, message: "is a symbolic link; give the path of a folder that does not exist yet")
        case S_IFDIR:
            guard ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? ["?"]).isEmpty else {
                throw OutputError(path: path, message: "already exists and is not empty; choose another output folder or remove it")
            }
            return true
        default:
            throw OutputError(path: path, message: "is a file; choose a folder that does not exist yet")
        }
    }

    /// Moves the complete folder to its final name. It never removes what the run did not create: an empty folder
    /// that was there at the start is removed non-recursively (`rmdir` fails on anything put into it since), and the
    /// rename itself cannot replace a folder that is not empty (POSIX `rename`).
    /// - Throws: `OutputError` (exit 73) when the destination appeared, or was filled, while the run was going (another
    ///   run into the same folder, a user's files); the caller discards the staging folder then.
    public func commit() throws(OutputError) {
        let path = destination.path
        var info = stat()
        if lstat(path, &info) == 0 {
            guard destinationExisted, info.st_mode & S_IFMT == S_IFDIR, rmdir(path) == 0 else { throw appearedMeanwhile() }
        }
        guard rename(staging.path, path) == 0 else {
            let code = errno
            if [EEXIST, ENOTEMPTY, ENOTDIR, EISDIR].contains(code) { throw appearedMeanwhile() }
            throw OutputError(path: path, writing: POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO),
                              action: "cannot move the finished output into place")
        }
        Self.open.withLock { _ = $0.remove(staging.path) }
    }

    private func appearedMeanwhile() -> OutputError {
        OutputError(path: destination.path, message: destinationExisted
            ? "was filled while the run was going; nothing of it was touched and no report was written"
            : "appeared while the run was going (another run, or files put there); nothing of it was touched and no "
                + "report was written")
    }

    /// Removes the partial folder (after a failure).
    public func discard() {
        try? FileManager.default.removeItem(at: staging)
        Self.open.withLock { _ = $0.remove(staging.path) }
    }

    // MARK: Interrupted runs

    /// The staging folders of this process not yet committed or discarded.
    private static let open = Mutex<Set<String>>([])

    /// Removes every staging folder of this process (called on SIGINT or SIGTERM before exiting).
    /// Writers may still be adding files while it is removed: it is removed again until it is gone (they cannot
    /// recreate the folder itself, see `url(_:)`).
    public static func discardAllOnSignal() {
        for path in open.withLock({ $0 }) {
            for _ in 0..<100 where FileManager.default.fileExists(atPath: path) {
                try? FileManager.default.removeItem(atPath: path)
                usleep(2_000)
            }
        }
    }

    /// This host's name, as staging folders carry it.
    static let host: String = {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return "localhost" }
        let text = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let safe = text.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
        return safe.isEmpty ? "localhost" : safe
    }()

    /// `<host>-<pid>`: whose staging folder it is. A process id says nothing about another host's processes (a
    /// shared disk), so only this host's leftovers are ever judged abandoned.
    static var runTag: String { "\(host)-\(getpid())" }

    /// Removes `<prefix><host>-<pid>` folders in `parent` of this host whose process no longer runs; returns their paths.
    private static func removeLeftovers(in parent: URL, prefix: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
        let ours = prefix + host + "-"
        return names.compactMap { name in
            guard name.hasPrefix(ours), let pid = Int32(name.dropFirst(ours.count)), pid != getpid(),
                  kill(pid, 0) == -1 && errno == ESRCH else { return nil }
            let path = parent.appendingPathComponent(name).path
            return (try? FileManager.default.removeItem(atPath: path)) != nil ? path : nil
        }
    }

    // MARK: Replacing a previous report

    /// Whether `folder` is a report that sozmon wrote and that holds nothing else: its `run.json` lists exactly
    /// the files the folder has. Only such a folder may be replaced by a new run (`demo`, `notebooks`).
    static func isUntouchedReport(_ folder: URL) -> Bool {
        struct Listing: Decodable { let files: [String] }
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent("run.json").path),
              let listing = try? JSONDecoder().decode(Listing.self, from: data) else { return false }
        return Set(listing.files) == Set(files(in: folder)) && listing.files.contains("run.json")
    }

    /// Removes `folder` if it is an untouched report; leaves an empty or absent folder alone.
    /// - Throws: `OutputError` when the folder holds anything else, naming what.
    public static func removePreviousReport(at folder: URL) throws(OutputError) {
        let fm = FileManager.default
        guard fm.fileExists(atPath: folder.path) else { return }
        if ((try? fm.contentsOfDirectory(atPath: folder.path)) ?? ["?"]).isEmpty { return }
        guard isUntouchedReport(folder) else {
            throw OutputError(path: folder.path, message: "holds files that sozmon did not write (or a changed report); "
                              + "nothing was replaced — choose another folder or empty it")
        }
        do { try fm.removeItem(at: folder) } catch {
            throw OutputError(path: folder.path, writing: error, action: "cannot remove the previous report")
        }
    }

    /// Every regular file (and symbolic link) under `folder`, relative and sorted (none when it does not exist).
    public static func files(in folder: URL) -> [String] {
        var result: [String] = []
        let enumerator = FileManager.default.enumerator(atPath: folder.path)
        while let path = enumerator?.nextObject() as? String {
            if (enumerator?.fileAttributes?[.type] as? FileAttributeType) != .typeDirectory { result.append(path) }
        }
        return result.sorted()
    }
}

/// An output that cannot be created (exit status 73).
public struct OutputError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public init(path: String, message: String) { self.path = path; self.message = message }

    /// `action` failed with the system's `error`, said in words: a full disk is "no space left on the device", a
    /// read-only or forbidden place "permission denied", rather than a Foundation error code.
    public init(path: String, writing error: Error, action: String) {
        self.path = path
        let ns = error as NSError
        let posix = ns.domain == NSPOSIXErrorDomain ? Int32(ns.code)
            : (ns.userInfo[NSUnderlyingErrorKey] as? NSError).flatMap { $0.domain == NSPOSIXErrorDomain ? Int32($0.code) : nil }
        let reason: String
        if ns.domain == NSCocoaErrorDomain && ns.code == NSFileWriteOutOfSpaceError || posix == ENOSPC || posix == EDQUOT {
            reason = "no space left on the device"
        } else if ns.domain == NSCocoaErrorDomain && ns.code == NSFileWriteNoPermissionError || posix == EACCES || posix == EPERM {
            reason = "permission denied"
        } else if ns.domain == NSCocoaErrorDomain && ns.code == NSFileWriteVolumeReadOnlyError || posix == EROFS {
            reason = "the file system is read-only"
        } else if ns.domain == NSCocoaErrorDomain && (ns.code == NSFileNoSuchFileError || ns.code == NSFileWriteUnknownError) {
            reason = "the file system does not accept it here"
        } else if let posix {
            reason = String(cString: strerror(posix))
        } else {
            reason = ns.localizedDescription
        }
        message = "\(action): \(reason)"
    }

    public var description: String { "\(path): \(message)" }
}
