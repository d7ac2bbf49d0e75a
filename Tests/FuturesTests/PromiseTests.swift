import Testing
@testable import Futures

@Suite struct Scratch {
    @Test func basics() throws {
        let p = Promise<Int>()
        let f = p.future.map { $0 + 1 }.flatMap { v in Future.succeeded(v * 2) }
        #expect(f.isPending)
        p.succeed(1)
        #expect(try f.get() == 4)
        print(MemoryLayout<MapStage<Int, Int, InlineExecutor>>.size)
        print(MemoryLayout<Future<Int>.State>.size, MemoryLayout<CallSite>.size, MemoryLayout<Outcome<Int>>.size)
        print(class_size(Future<Int>.self))
    }
    @Test func million() throws {
        let p = Promise<Int>()
        var f = p.future
        for _ in 0..<1_000_000 { f = f.map { $0 &+ 1 } }
        p.succeed(0)
        #expect(try f.get() == 1_000_000)
    }
    @Test func failing() throws {
        let p = Promise<Int>()
        let f = p.future.map { $0 + 1 }.map { $0 + 1 }
        struct E: Error {}
        p.fail(E())
        print(f.traceback!)
    }
}
func class_size(_ t: AnyClass) -> Int { malloc_size_of(Future<Int>(site: CallSite(.map, #fileID, 1, #function))) }
import Glibc
@_silgen_name("malloc_usable_size") func mus(_ p: UnsafeMutableRawPointer) -> Int
func malloc_size_of(_ o: AnyObject) -> Int { mus(Unmanaged.passUnretained(o).toOpaque()) }
