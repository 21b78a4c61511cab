using Caisson.Core.Errors;
using Caisson.Linux.Interop;
using Microsoft.Extensions.Logging;

namespace Caisson.Images.Snapshots;

/// <summary>Picks the configured snapshotter, falling back to native where overlayfs cannot be mounted.</summary>
public static partial class SnapshotterFactory
{
    public static ISnapshotter Create(string name, string root, ILogger logger)
    {
        switch (name)
        {
            case "native":
                return new NativeSnapshotter(Path.Combine(root, "native"));
            case "overlayfs":
                var overlayRoot = Path.Combine(root, "overlayfs");
                Directory.CreateDirectory(overlayRoot);
                if (OverlayWorks(overlayRoot, out var why))
                    return new OverlaySnapshotter(overlayRoot);
                Log.OverlayUnavailable(logger, overlayRoot, why);
                return new NativeSnapshotter(Path.Combine(root, "native"));
            default:
                throw new InvalidArgumentException($"unknown snapshotter \"{name}\" (want overlayfs or native)");
        }
    }

    /// <summary>Mounts a two-layer overlay in a scratch directory to see whether this file system supports it.</summary>
    public static bool OverlayWorks(string directory, out string why)
    {
        var probe = Path.Combine(directory, $".probe-{Guid.NewGuid():N}");
        try
        {
            foreach (var sub in new[] { "l1", "l2", "upper", "work", "merged" })
                Directory.CreateDirectory(Path.Combine(probe, sub));
            var merged = Path.Combine(probe, "merged");
            Mounts.Mount("overlay", merged, "overlay", 0,
                $"lowerdir={probe}/l2:{probe}/l1,upperdir={probe}/upper,workdir={probe}/work");
            Mounts.Unmount(merged, detach: true);
            why = "";
            return true;
        }
        catch (CaissonException e)
        {
            why = e.Message;
            return false;
        }
        finally
        {
            try
            {
                Directory.Delete(probe, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2401, Level = LogLevel.Warning, Message = "overlayfs does not work under {Root} ({Reason}); using the native (copying) snapshotter")]
        public static partial void OverlayUnavailable(ILogger logger, string root, string reason);
    }
}
