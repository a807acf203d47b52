// The scenarios start host processes, PostgreSQL servers and dozens of concurrent clients: on a 2-core machine they
// run one after another, so each one's timing is its own.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
