import CSQLite

/// The one door to SQLite: a database file opened for writing, statements run or prepared and stepped.
final class SQLiteDatabase {
    private var handle: OpaquePointer?
    let path: String

    /// Creates `path` (which must not exist) for writing.
    init(creating path: String) throws(SQLiteError) {
        self.path = path
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_EXRESCODE
        let status = sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK else {
            let error = SQLiteError(message: handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open")
            sqlite3_close_v2(handle)
            handle = nil
            throw error
        }
    }

    /// Opens `path` for reading (tests and checks read a GeoPackage back through the same door).
    init(reading path: String) throws(SQLiteError) {
        self.path = path
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READONLY, nil) == SQLITE_OK else {
            let error = SQLiteError(message: handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open")
            sqlite3_close_v2(handle)
            handle = nil
            throw error
        }
    }

    deinit { sqlite3_close_v2(handle) }

    /// The rows of a query, each value as SQLite returns it.
    func query(_ sql: String) throws(SQLiteError) -> [[SQLiteValue]] {
        try prepare(sql).rows()
    }

    /// Closes the file (its last writes are completed; an error is a full disk or the like).
    func close() throws(SQLiteError) {
        guard let handle else { return }
        let status = sqlite3_close_v2(handle)
        self.handle = nil
        guard status == SQLITE_OK else { throw SQLiteError(message: "closing failed (code \(status))") }
    }

    /// Runs one or more statements without results.
    func execute(_ sql: String) throws(SQLiteError) {
        var message: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(handle, sql, nil, nil, &message) == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? lastError
            sqlite3_free(message)
            throw SQLiteError(message: text)
        }
    }

    func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw SQLiteError(message: "\(lastError) in: \(sql.prefix(200))")
        }
        return SQLiteStatement(statement, database: self)
    }

    var lastError: String { handle.map { String(cString: sqlite3_errmsg($0)) } ?? "no database" }
}

/// A value bound to a statement's parameter.
enum SQLiteValue: Equatable {
    case integer(Int64), real(Double), text(String), blob([UInt8]), null
}

/// A prepared statement: bind, step, reset for the next row.
final class SQLiteStatement {
    private let statement: OpaquePointer
    private let database: SQLiteDatabase

    init(_ statement: OpaquePointer, database: SQLiteDatabase) {
        self.statement = statement
        self.database = database
    }

    deinit { sqlite3_finalize(statement) }

    /// Every row the statement gives.
    func rows() throws(SQLiteError) -> [[SQLiteValue]] {
        var rows: [[SQLiteValue]] = []
        var status = sqlite3_step(statement)
        while status == SQLITE_ROW {
            rows.append((0..<sqlite3_column_count(statement)).map { k in
                switch sqlite3_column_type(statement, k) {
                case SQLITE_INTEGER: .integer(sqlite3_column_int64(statement, k))
                case SQLITE_FLOAT: .real(sqlite3_column_double(statement, k))
                case SQLITE_TEXT: .text(String(cString: sqlite3_column_text(statement, k)))
                case SQLITE_BLOB:
                    .blob(Array(UnsafeRawBufferPointer(start: sqlite3_column_blob(statement, k),
                                                       count: Int(sqlite3_column_bytes(statement, k)))))
                default: .null
                }
            })
            status = sqlite3_step(statement)
        }
        sqlite3_reset(statement)
        guard status == SQLITE_DONE else { throw SQLiteError(message: database.lastError) }
        return rows
    }

    /// Binds `values` to the parameters 1…n, runs the statement to its end and resets it.
    func run(_ values: [SQLiteValue]) throws(SQLiteError) {
        for (k, value) in values.enumerated() { try bind(value, at: Int32(k + 1)) }
        try step()
        sqlite3_clear_bindings(statement)
    }

    /// Binds `value` to parameter `position` (from 1) until it is bound again.
    func bind(_ value: SQLiteValue, at position: Int32) throws(SQLiteError) {
        let status: Int32 = switch value {
        case .integer(let v): sqlite3_bind_int64(statement, position, v)
        case .real(let v): sqlite3_bind_double(statement, position, v)
        case .text(let v): v.withCString { sqlite3_bind_text(statement, position, $0, -1, sozmon_sqlite_transient()) }
        case .blob(let v): v.withUnsafeBytes { sqlite3_bind_blob(statement, position, $0.baseAddress, Int32($0.count), sozmon_sqlite_transient()) }
        case .null: sqlite3_bind_null(statement, position)
        }
        guard status == SQLITE_OK else { throw SQLiteError(message: database.lastError) }
    }

    /// Runs the statement with the values bound to its end and resets it (the bindings stay).
    func step() throws(SQLiteError) {
        var status = sqlite3_step(statement)
        while status == SQLITE_ROW { status = sqlite3_step(statement) }
        sqlite3_reset(statement)
        guard status == SQLITE_DONE else { throw SQLiteError(message: database.lastError) }
    }
}

/// What SQLite said went wrong.
struct SQLiteError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
