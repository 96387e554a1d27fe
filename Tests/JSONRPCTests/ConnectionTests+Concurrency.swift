import JSONRPC
import Testing

/// Work answered `.later`: out of order, cancelled, bounded, drained.
extension ConnectionTests {
    @Test func inlineWorkRunsOnTheReaderUnlessMoreInputIsQueuedBehindIt() async throws {
        let harness = try ConnectionHarness()
        harness.send(#"{"jsonrpc":"2.0","id":0,"method":"where"}"#)
        #expect(try await harness.nextMessage()["result"]?["inTask"] == false)

        // Three requests in one write: the first two have input queued behind them and run as tasks,
        // concurrently; the last has none and runs on the reading thread.
        harness.send(bytes: Array((1...3).map { #"{"jsonrpc":"2.0","id":\#($0),"method":"where"}"# + "\n" }.joined().utf8))
        let answers = try await harness.nextMessages(3)
        let inTask = Dictionary(uniqueKeysWithValues: answers.map { ($0["id"]?.integerValue ?? -1, $0["result"]?["inTask"]) })
        #expect(inTask == [1: true, 2: true, 3: false])
        #expect(try await harness.finish().isEmpty)
    }

    @Test func laterWorkThatNamesAnExecutorStartsOnItsThreads() async throws {
        let harness = try ConnectionHarness()
        harness.send(#"{"jsonrpc":"2.0","id":1,"method":"pinned"}"#)
        #expect(try await harness.nextMessage()["result"]?["onExecutor"] == true)
        #expect(try await harness.finish().isEmpty)
    }

    @Test func laterRequestsAreAllAnsweredMatchedByID() async throws {
        let harness = try ConnectionHarness()
        let delays: [Int64] = [60, 10, 40, 20]
        for (id, ms) in delays.enumerated() {
            harness.send(#"{"jsonrpc":"2.0","id":\#(id),"method":"slow","params":{"ms":\#(ms)}}"#)
        }
        let answers = try await harness.nextMessages(delays.count)
        // Each id is answered once, with its own result, in whatever order the work finished.
        #expect(Set(answers.compactMap { $0["id"] }).count == delays.count)
        for answer in answers {
            let id = try #require(answer["id"]?.integerValue.map(Int.init))
            try #require(delays.indices.contains(id))
            #expect(answer["result"]?["slept"] == .integer(delays[id]))
        }
        #expect(try await harness.finish().isEmpty)
    }

    @Test func cancelledRequestGetsNoResponse() async throws {
        // Given a long request in flight
        let harness = try ConnectionHarness()
        harness.send(#"{"jsonrpc":"2.0","id":"long","method":"slow","params":{"ms":5000}}"#)
        // When the handler's notification path cancels it
        harness.send(#"{"jsonrpc":"2.0","method":"cancel","params":{"id":"long"}}"#)
        harness.send(#"{"jsonrpc":"2.0","id":2,"method":"echo"}"#)
        // Then other requests are still answered
        #expect(try await harness.nextMessage()["id"] == 2)
        // And the cancelled one stops at once, unanswered (a 5 s sleep would miss the deadline)
        #expect(try await harness.finish(within: ConnectionHarness.patience).isEmpty)
        #expect(harness.handler.cancelledRuns == 1)
    }

    @Test func cancellingAFinishedOrUnknownRequestChangesNothing() async throws {
        let harness = try ConnectionHarness()
        harness.send(#"{"jsonrpc":"2.0","id":1,"method":"echo"}"#)
        harness.send(#"{"jsonrpc":"2.0","method":"cancel","params":{"id":1}}"#)
        harness.send(#"{"jsonrpc":"2.0","method":"cancel","params":{"id":"nobody"}}"#)
        harness.send(#"{"jsonrpc":"2.0","id":2,"method":"slow","params":{"ms":10}}"#)
        let answers = try await harness.nextMessages(2)
        #expect(answers.map { $0["id"] } == [1, 2])
        #expect(try await harness.finish().isEmpty)
    }

    @Test func terminateFinishesWhatIsInFlightAndReadsNoMore() async throws {
        // Given three requests in flight, known to be read since a later line was answered
        let harness = try ConnectionHarness()
        for id in 1...3 {
            harness.send(#"{"jsonrpc":"2.0","id":\#(id),"method":"slow","params":{"ms":100}}"#)
        }
        harness.send(#"{"jsonrpc":"2.0","id":4,"method":"echo"}"#)
        #expect(try await harness.nextMessage()["id"] == 4)
        // When the connection is told to stop (SIGTERM) while the input stays open
        harness.terminate()
        harness.send(#"{"jsonrpc":"2.0","id":5,"method":"echo"}"#)
        // Then run() returns by itself, and only after answering what it had read
        #expect(try await harness.waitForRun(within: ConnectionHarness.patience))
        let answers = try await harness.finish()
        #expect(Set(answers.compactMap { $0["id"] }) == [1, 2, 3])
        #expect(answers.count == 3)
    }

    @Test func inFlightBoundPausesReadingButServesEverything() async throws {
        // Given at most two requests in flight
        let harness = try ConnectionHarness(options: .init(maximumRequestsInFlight: 2))
        // When five slow ones arrive at once
        for id in 1...5 {
            harness.send(#"{"jsonrpc":"2.0","id":\#(id),"method":"slow","params":{"ms":30}}"#)
        }
        // Then all five are answered, never more than two running at a time
        let answers = try await harness.nextMessages(5)
        #expect(Set(answers.compactMap { $0["id"] }) == [1, 2, 3, 4, 5])
        #expect(harness.handler.peakRunning == 2)
        #expect(try await harness.finish().isEmpty)
    }

    @Test func serverToClientRequestsAreMatchedToTheClientsResponses() async throws {
        let harness = try ConnectionHarness()
        // Given a request whose handler asks the client something
        harness.send(#"{"jsonrpc":"2.0","id":1,"method":"ask","params":{"q":"colour?"}}"#)
        let question = try await harness.nextMessage()
        #expect(question["method"] == "client/ask")
        #expect(question["params"] == ["q": "colour?"])
        let questionID = try #require(question["id"])
        // When the client answers it
        harness.send(#"{"jsonrpc":"2.0","id":\#(questionID),"result":"blue"}"#)
        // Then the answer reaches the handler, which answers the first request
        let answer = try await harness.nextMessage()
        #expect(answer["id"] == 1)
        #expect(answer["result"] == "blue")

        // And a client error comes back through the same path, with a fresh id
        harness.send(#"{"jsonrpc":"2.0","id":2,"method":"ask"}"#)
        let second = try await harness.nextMessage()
        #expect(second["id"] != questionID)
        harness.send(#"{"jsonrpc":"2.0","id":\#(try #require(second["id"])),"error":{"code":-1,"message":"declined"}}"#)
        let refused = try await harness.nextMessage()
        #expect(refused["id"] == 2)
        #expect(refused.errorCode == -1)
        #expect(refused.errorMessage == "declined")
        #expect(try await harness.finish().isEmpty)
    }

    @Test func requestsWaitingOnTheClientDoNotHoldEverySlot() async throws {
        // Given one slot, taken by a request that asks the client something
        let harness = try ConnectionHarness(options: Connection.Options(maximumRequestsInFlight: 1))
        harness.send(#"{"jsonrpc":"2.0","id":1,"method":"ask"}"#)
        let first = try await harness.nextMessage()
        // When a second such request arrives before the first question is answered
        harness.send(#"{"jsonrpc":"2.0","id":2,"method":"ask"}"#)
        let second = try await harness.nextMessage()
        #expect(second["method"] == "client/ask")
        // Then the reader still reads the client's answers, and both requests complete
        harness.send(#"{"jsonrpc":"2.0","id":\#(try #require(second["id"])),"result":"two"}"#)
        harness.send(#"{"jsonrpc":"2.0","id":\#(try #require(first["id"])),"result":"one"}"#)
        let answers = try await harness.nextMessages(2)
        #expect(Set(answers.compactMap { $0["result"] }) == ["one", "two"])
        #expect(try await harness.finish().isEmpty)
    }

    @Test func serverToClientRequestFailsWhenTheInputEnds() async throws {
        let harness = try ConnectionHarness()
        harness.send(#"{"jsonrpc":"2.0","id":1,"method":"ask"}"#)
        #expect(try await harness.nextMessage()["method"] == "client/ask")
        // The client goes away without answering: the waiting request gets an internal error.
        let answers = try await harness.finish()
        #expect(answers.count == 1)
        #expect(answers.first?["id"] == 1)
        #expect(answers.first?.errorCode == -32603)
    }

    @Test func duplicateIDInFlightIsRejected() async throws {
        let harness = try ConnectionHarness()
        harness.send(#"{"jsonrpc":"2.0","id":7,"method":"slow","params":{"ms":100}}"#)
        harness.send(#"{"jsonrpc":"2.0","id":7,"method":"echo"}"#)
        // The duplicate is refused at once; the first still gets its own answer.
        let duplicate = try await harness.nextMessage()
        #expect(duplicate["id"] == 7)
        #expect(duplicate.errorCode == -32600)
        #expect(duplicate.errorMessage.contains("already in use"), "got: \(duplicate.errorMessage)")
        let first = try await harness.nextMessage()
        #expect(first["id"] == 7)
        #expect(first["result"] == ["slept": 100])
        // Once answered, the id is free again.
        harness.send(#"{"jsonrpc":"2.0","id":7,"method":"echo","params":["again"]}"#)
        #expect(try await harness.nextMessage()["result"] == ["again"])
        #expect(try await harness.finish().isEmpty)
    }

    @Test func closedOutputMakesWritesFailWithoutCrashing() async throws {
        // Given a client that closed its end of our output
        let harness = try ConnectionHarness()
        harness.closeOutputReader()
        // When requests arrive and the input ends
        harness.send(#"{"jsonrpc":"2.0","id":1,"method":"echo"}"#)
        harness.send(#"{"jsonrpc":"2.0","id":2,"method":"slow","params":{"ms":10}}"#)
        _ = try await harness.finish()
        // Then the writes failed (EPIPE, not SIGPIPE), the writer says so, and run() returned
        #expect(harness.writer.isBroken)
        #expect(!harness.writer.write(.notification(Notification(method: "late"))))
    }
}
