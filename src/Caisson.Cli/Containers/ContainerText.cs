using System.Globalization;
using System.Text.Json;
using Caisson.Api.Cri;
using Caisson.Cli.Output;
using Caisson.Core.Time;

namespace Caisson.Cli.Containers;

/// <summary>How containers and pods print in ps, pods and stats: short ids, states, "Up 3 minutes", commands.</summary>
internal static class ContainerText
{
    private const int ShortIdLength = 12;
    private const int CommandWidth = 20;

    public static string ShortId(string id) => id.Length <= ShortIdLength ? id : id[..ShortIdLength];

    /// <summary>ps -q and pods -q: one id per line, short unless <paramref name="full"/>.</summary>
    public static void WriteIds(TextWriter output, IEnumerable<string> ids, bool full)
    {
        foreach (var id in ids)
            output.WriteLine(full ? id : ShortId(id));
    }

    public static DateTimeOffset FromNanoseconds(long unixNanoseconds) =>
        UnixTime.FromNanoseconds(unixNanoseconds);

    /// <summary>"5 seconds ago"; "N/A" when the time is unknown (0).</summary>
    public static string Ago(long unixNanoseconds, DateTimeOffset now) =>
        unixNanoseconds <= 0 ? "N/A" : HumanFormat.Duration(now - FromNanoseconds(unixNanoseconds)) + " ago";

    /// <summary>docker's STATUS column: "Created", "Up 3 minutes", "Exited (0) 2 seconds ago".</summary>
    public static string Status(ContainerStatus status, DateTimeOffset now) => status.State switch
    {
        ContainerState.ContainerCreated => "Created",
        ContainerState.ContainerRunning when status.StartedAt > 0 => "Up " + HumanFormat.Duration(now - FromNanoseconds(status.StartedAt)),
        ContainerState.ContainerRunning => "Up",
        ContainerState.ContainerExited when status.FinishedAt > 0 =>
            $"Exited ({status.ExitCode.ToString(CultureInfo.InvariantCulture)}) {Ago(status.FinishedAt, now)}",
        ContainerState.ContainerExited => $"Exited ({status.ExitCode.ToString(CultureInfo.InvariantCulture)})",
        _ => "Unknown",
    };

    /// <summary>The state as one lower-case word, for JSON: created, running, exited, unknown.</summary>
    public static string State(ContainerState state) => state switch
    {
        ContainerState.ContainerCreated => "created",
        ContainerState.ContainerRunning => "running",
        ContainerState.ContainerExited => "exited",
        _ => "unknown",
    };

    public static string PodState(PodSandboxState state) => state == PodSandboxState.SandboxReady ? "Ready" : "NotReady";

    /// <summary>
    /// The command a container runs: from the annotation `caisson run` leaves, else (a kubelet's containers) from the
    /// process args of the OCI spec in the verbose status info; empty when neither says.
    /// </summary>
    public static IReadOnlyList<string> CommandOf(IReadOnlyDictionary<string, string> annotations, IReadOnlyDictionary<string, string>? info)
    {
        var fromRun = CommandOf(annotations);
        if (fromRun.Count > 0 || info is null || !info.TryGetValue("info", out var json))
            return fromRun;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("runtimeSpec", out var spec) && spec.ValueKind == JsonValueKind.Object
                && spec.TryGetProperty("process", out var process) && process.ValueKind == JsonValueKind.Object
                && process.TryGetProperty("args", out var args) && args.ValueKind == JsonValueKind.Array)
                return [.. args.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)];
        }
        catch (JsonException)
        {
        }

        return [];
    }

    /// <summary>The command a container runs, from the annotation `caisson run` leaves; empty when it is not known.</summary>
    public static IReadOnlyList<string> CommandOf(IReadOnlyDictionary<string, string> annotations)
    {
        if (!annotations.TryGetValue(CliLabels.Command, out var json))
            return [];
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                return [];
            return [.. document.RootElement.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>docker's COMMAND column: the words in quotes, cut to 20 characters with "…" unless <paramref name="full"/>.</summary>
    public static string Command(IReadOnlyList<string> argv, bool full)
    {
        if (argv.Count == 0)
            return "";
        var text = string.Join(' ', argv);
        if (!full && text.Length > CommandWidth)
            text = text[..(CommandWidth - 1)] + "…";
        return $"\"{text}\"";
    }
}
