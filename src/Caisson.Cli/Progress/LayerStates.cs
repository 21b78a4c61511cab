namespace Caisson.Cli.Progress;

/// <summary>The layer states the daemon reports in <c>LayerProgress.state</c>.</summary>
internal static class LayerStates
{
    public const string Waiting = "waiting";
    public const string Downloading = "downloading";
    public const string Unpacking = "unpacking";
    public const string Done = "done";
    public const string Exists = "exists";

    /// <summary>Whether every byte of the layer is here (downloaded now or before).</summary>
    public static bool IsComplete(string state) => state is Done or Exists or Unpacking;
}
