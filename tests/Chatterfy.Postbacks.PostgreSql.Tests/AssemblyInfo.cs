// The tests share one PostgreSQL server; run one class at a time so concurrent-append tests (up to 64 connections) never
// meet another class's pools at the server's connection limit.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
