using BenchmarkDotNet.Running;
using Caisson.Benchmarks;

// caisson-bench floor DIR...   single-core floor: sha256 of each gzip blob + inflate + sha256 of the tar
// caisson-bench [BenchmarkDotNet args]   hot-path micro benchmarks
if (args.Length > 0 && args[0] == "floor")
    return PullFloor.Run(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(PullFloor).Assembly).Run(args);
return 0;
