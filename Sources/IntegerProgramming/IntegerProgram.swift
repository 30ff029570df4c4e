import CGLPK
import Foundation

/// A mixed-integer linear program, solved exactly by GLPK's branch and cut (`glp_intopt`) or as its linear relaxation
/// (`glp_simplex`); the one door to GLPK (Makhorin, GNU Linear Programming Kit 5.0).
///
/// `optimise cᵀx` subject to `lᵣ ≤ aᵣᵀx ≤ uᵣ` for every row r and each variable binary or within bounds. The model is
/// plain Swift values; GLPK sees it only for the length of one `solve`, under a lock (GLPK's environment is per
/// process).
public struct IntegerProgram: Sendable {
    public enum Sense: Sendable { case minimise, maximise }
    public enum Variable: Sendable, Equatable {
        case binary
        case continuous(lower: Double, upper: Double)
    }
    /// A row's sparse terms (variable index, coefficient) and its bounds (nil: unbounded on that side).
    public struct Row: Sendable {
        public let terms: [(variable: Int, coefficient: Double)]
        public let lower: Double?
        public let upper: Double?
    }

    public let sense: Sense
    public private(set) var variables: [Variable] = []
    public private(set) var objective: [Double] = []
    public private(set) var rows: [Row] = []
    /// Variables fixed to a value (e.g. an existing site that stays open).
    public private(set) var fixed: [Int: Double] = [:]

    public init(_ sense: Sense) { self.sense = sense }

    /// Adds a variable with its objective coefficient; returns its index.
    @discardableResult
    public mutating func add(_ variable: Variable, objective c: Double) -> Int {
        precondition(c.isFinite, "objective coefficients are finite")
        variables.append(variable); objective.append(c)
        return variables.count - 1
    }

    public mutating func fix(_ variable: Int, to value: Double) { fixed[variable] = value }

    /// `lower ≤ Σ coefficient · x[variable] ≤ upper`.
    public mutating func constrain(_ terms: [(variable: Int, coefficient: Double)], atLeast lower: Double? = nil,
                                   atMost upper: Double? = nil) {
        precondition(lower != nil || upper != nil, "a row has a bound")
        precondition(terms.allSatisfy { $0.variable >= 0 && $0.variable < variables.count && $0.coefficient.isFinite })
        rows.append(Row(terms: terms, lower: lower, upper: upper))
    }

    public struct Solution: Sendable {
        public enum Status: Sendable, Equatable {
            /// Proven optimal (within GLPK's integrality tolerance).
            case optimal
            /// The best solution found when the time limit ended the search: feasible, not proven optimal.
            case timeLimit
        }
        public let status: Status
        public let objective: Double
        public let values: [Double]
    }

    public enum Failure: Error, Equatable, Sendable {
        /// No solution satisfies the rows.
        case infeasible
        /// The objective has no bound (not possible for the location problems, which are bounded by construction).
        case unbounded
        /// The time limit ended the search before any feasible solution was found.
        case noSolutionWithinTimeLimit
        /// GLPK failed (its return code).
        case solver(code: Int32)
    }

    /// Solves the program (`relaxed`: its linear relaxation, binaries within [0, 1]).
    /// - Parameter timeLimit: seconds for branch and cut; at the limit the best solution found is returned as
    ///   `.timeLimit`.
    public func solve(relaxed: Bool = false, timeLimit: Double? = nil) throws(Failure) -> Solution {
        Self.lock.lock()
        defer { Self.lock.unlock() }
        glp_term_out(GLP_OFF)
        let p = glp_create_prob()
        defer { glp_delete_prob(p) }
        glp_set_obj_dir(p, sense == .minimise ? GLP_MIN : GLP_MAX)
        if !variables.isEmpty { glp_add_cols(p, Int32(variables.count)) }
        for (k, variable) in variables.enumerated() {
            let j = Int32(k + 1)
            switch variable {
            case .binary:
                if !relaxed { glp_set_col_kind(p, j, GLP_BV) }
                glp_set_col_bnds(p, j, GLP_DB, 0, 1)
            case .continuous(let lower, let upper):
                glp_set_col_bnds(p, j, Self.boundType(lower.isFinite ? lower : nil, upper.isFinite ? upper : nil),
                                 lower.isFinite ? lower : 0, upper.isFinite ? upper : 0)
            }
            if let value = fixed[k] { glp_set_col_bnds(p, j, GLP_FX, value, value) }
            glp_set_obj_coef(p, j, objective[k])
        }
        if !rows.isEmpty { glp_add_rows(p, Int32(rows.count)) }
        // The matrix in GLPK's 1-based triplets (element 0 unused).
        var ia: [Int32] = [0], ja: [Int32] = [0], ar: [Double] = [0]
        for (r, row) in rows.enumerated() {
            glp_set_row_bnds(p, Int32(r + 1), Self.boundType(row.lower, row.upper), row.lower ?? 0, row.upper ?? 0)
            for term in row.terms {
                ia.append(Int32(r + 1)); ja.append(Int32(term.variable + 1)); ar.append(term.coefficient)
            }
        }
        glp_load_matrix(p, Int32(ar.count - 1), ia, ja, ar)
        let limit = timeLimit.map { Int32(min($0 * 1000, Double(Int32.max))) } ?? Int32.max
        if relaxed || variables.isEmpty {
            var parameters = glp_smcp()
            glp_init_smcp(&parameters)
            parameters.msg_lev = GLP_MSG_OFF
            parameters.presolve = GLP_ON
            parameters.tm_lim = limit
            let code = glp_simplex(p, &parameters)
            if code == GLP_ENOPFS { throw .infeasible }
            if code == GLP_ENODFS { throw .unbounded }
            guard code == 0 else { throw .solver(code: code) }
            switch glp_get_status(p) {
            case GLP_OPT: break
            case GLP_NOFEAS, GLP_INFEAS: throw .infeasible
            case GLP_UNBND: throw .unbounded
            default: throw .solver(code: glp_get_status(p))
            }
            return Solution(status: .optimal, objective: glp_get_obj_val(p),
                            values: (0..<variables.count).map { glp_get_col_prim(p, Int32($0 + 1)) })
        }
        var parameters = glp_iocp()
        glp_init_iocp(&parameters)
        parameters.msg_lev = GLP_MSG_OFF
        parameters.presolve = GLP_ON
        parameters.tm_lim = limit
        let code = glp_intopt(p, &parameters)
        if code == GLP_ENOPFS { throw .infeasible }
        if code == GLP_ENODFS { throw .unbounded }
        guard code == 0 || code == GLP_ETMLIM else { throw .solver(code: code) }
        let status: Solution.Status
        switch glp_mip_status(p) {
        case GLP_OPT: status = .optimal
        case GLP_FEAS: status = .timeLimit
        case GLP_NOFEAS: throw .infeasible
        default: throw code == GLP_ETMLIM ? .noSolutionWithinTimeLimit : .solver(code: glp_mip_status(p))
        }
        return Solution(status: status, objective: glp_mip_obj_val(p),
                        values: (0..<variables.count).map { glp_mip_col_val(p, Int32($0 + 1)) })
    }

    private static let lock = NSLock()

    private static func boundType(_ lower: Double?, _ upper: Double?) -> Int32 {
        switch (lower, upper) {
        case (nil, nil): GLP_FR
        case (_?, nil): GLP_LO
        case (nil, _?): GLP_UP
        case (let l?, let u?): l == u ? GLP_FX : GLP_DB
        }
    }
}
