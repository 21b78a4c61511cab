using Caisson.Bench.Cri;

// The client side of bench/runtime/run.sh. Every CRI call goes through this one program, whichever runtime
// serves the socket, so the client's cost is the same on both sides of the comparison.
const string Usage = """
    Usage:
      caisson-bench-cri push-images HOST:PORT PAUSE_BINARY ROOTFS_TAR
          push bench/busybox:v1 and bench/pause:v1 (plain HTTP); write busybox's layer to ROOTFS_TAR (the floor's rootfs)
      caisson-bench-cri container-command
          print the benchmark container's command as a JSON array (the floor runs the same one)
      caisson-bench-cri run --name NAME --socket SOCKET --daemon-pid PID --shim-exe PATH [--shim-cmdline-contains TEXT]
                            --image IMAGE [--pull IMAGE]... --log-dir DIR --cgroup-parent PATH --out FILE.json
                            [--iterations N] [--warmup N] [--pods N]
          latency of each CRI step, then memory of the daemon and its shims with N pods running
      caisson-bench-cri report CAISSON.json CONTAINERD.json FLOOR_SAMPLES
          print the markdown tables for docs/benchmarks.md
    """;

try
{
    return args switch
    {
        ["push-images", var registry, var pause, var rootfsTar] => await BenchImages.PushAsync(registry, pause, rootfsTar),
        ["container-command"] => PrintContainerCommand(),
        ["run", .. var options] => await RuntimeRun.RunAsync(RunOptions.Parse(options)),
        ["report", var caisson, var containerd, var floor] => Report.Print(caisson, containerd, floor),
        _ => PrintUsage(),
    };
}
catch (ArgumentException error)
{
    Console.Error.WriteLine($"caisson-bench-cri: {error.Message}");
    return 2;
}

static int PrintContainerCommand()
{
    Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(PodRequests.ContainerCommand));
    return 0;
}

int PrintUsage()
{
    Console.Error.WriteLine(Usage);
    return 2;
}
