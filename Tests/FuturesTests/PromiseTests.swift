import Testing
@testable import Futures
