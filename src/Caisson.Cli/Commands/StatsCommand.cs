using Caisson.Api.Cri;
using Caisson.Cli.Arguments;
using Caisson.Cli.Containers;
using Caisson.Cli.Output;

namespace Caisson.Cli.Commands;

/// <summary>caisson stats: live CPU and memory use of containers, like `docker stats`.</summary>
internal static class StatsCommand
{
    private static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(1);
    private const string ClearScreen = "\u001b[2J\u001b[H";

    public static CommandSpec Spec { get; } = new()
    {
        Name = "stats",
        Usage = "caisson stats [OPTIONS] [CONTAINER...]",
        Summary = "Show containers' CPU and memory use",
        Description = "Shows, for each running container (or each CONTAINER named: an id, a unique start of one, "
            + "or a name), its CPU use over the last second (100% is one core), the memory it uses against its limit "
            + "(the host's memory when it has none), and that share in percent. The table is refreshed every second "
            + "until Ctrl-C; --no-stream prints it once.",
        Flags = [FlagSpec.Boolean("no-stream", null, "Print one table and exit")],
        Examples =
        [
            new("caisson stats", "Watch every running container"),
            new("caisson stats --no-stream web db", "One reading of two containers"),
        ],
        MaxArguments = int.MaxValue,
        RunAsync = RunAsync,
    };

    private static async Task<int> RunAsync(CommandInvocation invocation)
    {
        var runtime = invocation.Daemon.Runtime;
        var cancellationToken = invocation.CancellationToken;
        IReadOnlyList<Container>? named = null;
        if (invocation.Arguments.Positionals.Count > 0)
        {
            var all = await DaemonObjects.ListContainersAsync(runtime, cancellationToken);
            named = [.. invocation.Arguments.Positionals.Select(r => ReferenceMatcher.Get(all, r, c => c.Id, DaemonObjects.NameOf, "container"))];
        }
        var hostMemory = ResourceUsage.HostMemory(File.Exists("/proc/meminfo") ? await File.ReadAllTextAsync("/proc/meminfo", cancellationToken) : "");
        var earlier = await SampleAsync(runtime, cancellationToken);
        var streaming = !invocation.Arguments.Flag("no-stream");
        try
        {
            while (true)
            {
                await Task.Delay(SampleInterval, cancellationToken);
                var later = await SampleAsync(runtime, cancellationToken);
                var containers = named ?? await DaemonObjects.ListContainersAsync(runtime, cancellationToken, runningOnly: true);
                if (streaming && invocation.Context.OutputIsTerminal)
                    invocation.Out.Write(ClearScreen);
                WriteTable(invocation.Out, containers, earlier, later, hostMemory);
                invocation.Out.Flush();
                if (!streaming)
                    return ExitCodes.Success;
                earlier = later;
            }
        }
        catch (OperationCanceledException) when (streaming && cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C is how a streaming stats ends.
            return ExitCodes.Success;
        }
    }

    private static async Task<Dictionary<string, ContainerStats>> SampleAsync(RuntimeService.RuntimeServiceClient runtime, CancellationToken cancellationToken)
    {
        var response = await runtime.ListContainerStatsAsync(new ListContainerStatsRequest(), cancellationToken: cancellationToken);
        return response.Stats.Where(s => s.Attributes is not null).ToDictionary(s => s.Attributes.Id, StringComparer.Ordinal);
    }

    private static void WriteTable(
        TextWriter output, IReadOnlyList<Container> containers, Dictionary<string, ContainerStats> earlier, Dictionary<string, ContainerStats> later, ulong hostMemory)
    {
        var table = new TableWriter("CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %");
        foreach (var container in containers.OrderBy(DaemonObjects.NameOf, StringComparer.Ordinal))
        {
            var id = ContainerText.ShortId(container.Id);
            if (!later.TryGetValue(container.Id, out var stats))
            {
                table.AddRow(id, DaemonObjects.NameOf(container), "--", "-- / --", "--");
                continue;
            }
            var used = ResourceUsage.MemoryUsed(stats);
            var limit = ResourceUsage.MemoryLimit(stats, hostMemory);
            table.AddRow(
                id,
                DaemonObjects.NameOf(container),
                ResourceUsage.Percent(ResourceUsage.CpuPercent(earlier.GetValueOrDefault(container.Id), stats)),
                $"{(used is { } u ? HumanFormat.BinarySize(u) : "--")} / {(limit > 0 ? HumanFormat.BinarySize(limit) : "--")}",
                ResourceUsage.Percent(used is { } bytes && limit > 0 ? bytes * 100.0 / limit : null));
        }
        table.WriteTo(output);
    }
}
