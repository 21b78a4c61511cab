namespace Caisson.Cli.Containers;

/// <summary>The labels and annotations `caisson run` puts on what it creates, so later verbs know it as its own.</summary>
internal static class CliLabels
{
    /// <summary>On the pod and the container; its value says which verb created them.</summary>
    public const string CreatedBy = "io.caisson.cli";

    public const string CreatedByRun = "run";

    /// <summary>Container annotation: the command the container runs, as a JSON array (CRI lists do not carry it).</summary>
    public const string Command = "io.caisson.cli.command";

    /// <summary>Namespace of the pods `caisson run` creates, apart from any a kubelet makes.</summary>
    public const string PodNamespace = "caisson";

    public static bool IsCreatedByRun(IReadOnlyDictionary<string, string> labels) =>
        labels.TryGetValue(CreatedBy, out var value) && value == CreatedByRun;
}
