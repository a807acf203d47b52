// Runs the micro-benchmarks; pick them with BenchmarkDotNet's arguments, e.g. --filter '*' --job short.
using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
