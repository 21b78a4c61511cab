using System.Runtime.ExceptionServices;
using Caisson.Core.Errors;
using Caisson.Linux.Interop;

namespace Caisson.Runtime.Network;

/// <summary>
/// Network namespaces pinned by a bind mount onto a file, so they outlive every process and thread in them.
/// unshare() and setns() act on the calling thread only, so each runs on a fresh thread that exits afterwards:
/// a pool thread left in a pod's namespace would run unrelated work there.
/// </summary>
internal static class NetworkNamespace
{
    private static readonly Lock PinDirectoryLock = new();

    /// <summary>Creates a new network namespace and pins it at <c>pinDirectory/name</c>; returns the pin path.</summary>
    public static string Create(string pinDirectory, string name)
    {
        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || name is "." or "..")
            throw new InvalidArgumentException($"network namespace name '{name}' is not a plain file name");
        PreparePinDirectory(pinDirectory);
        var pin = Path.Combine(pinDirectory, name);
        try
        {
            // The bind mount needs an existing file as its target; an existing one means the name is taken.
            new FileStream(pin, FileMode.CreateNew, FileAccess.Write).Dispose();
        }
        catch (IOException e) when (File.Exists(pin))
        {
            throw new AlreadyExistsException($"network namespace pin {pin} already exists", e);
        }

        try
        {
            RunOnDedicatedThread(() =>
            {
                Namespaces.Unshare(Namespaces.CLONE_NEWNET);
                Mounts.Mount($"/proc/self/task/{Namespaces.CurrentThreadId()}/ns/net", pin, null, Mounts.MS_BIND, null);
            });
        }
        catch
        {
            File.Delete(pin);
            throw;
        }

        return pin;
    }

    /// <summary>Unpins and deletes <paramref name="pinPath"/>; a pin already gone is not an error.</summary>
    public static void Remove(string pinPath)
    {
        // Detach: a plugin or an entered thread may still hold the namespace; it is freed when the last user goes.
        Mounts.Unmount(pinPath, detach: true);
        File.Delete(pinPath);
    }

    /// <summary>True when <paramref name="pinPath"/> is a pinned network namespace (not merely a leftover file).</summary>
    public static bool Exists(string pinPath) =>
        File.Exists(pinPath) && MountTable.IsMountPoint(pinPath);

    /// <summary>Runs <paramref name="action"/> on a new thread that has entered the namespace pinned at <paramref name="pinPath"/>.</summary>
    public static T RunInside<T>(string pinPath, Func<T> action)
    {
        T result = default!;
        RunOnDedicatedThread(() =>
        {
            Namespaces.Enter(pinPath, Namespaces.CLONE_NEWNET);
            result = action();
        });
        return result;
    }

    public static void RunInside(string pinPath, Action action) =>
        RunInside(pinPath, () =>
        {
            action();
            return true;
        });

    /// <summary>
    /// Undoes <see cref="PreparePinDirectory"/>: unmounts the directory's self bind mount (pins must be removed first).
    /// </summary>
    public static void ReleasePinDirectory(string pinDirectory)
    {
        lock (PinDirectoryLock)
            Mounts.Unmount(Path.GetFullPath(pinDirectory), detach: true);
    }

    /// <summary>
    /// Makes the pin directory a mount point of its own with shared propagation, as iproute2 does for /run/netns:
    /// a pin then propagates to mount namespaces copied from ours (runc's, a mount-namespaced daemon's), and so does
    /// its unmount, so a copy elsewhere does not keep a dead pod's namespace alive.
    /// </summary>
    private static void PreparePinDirectory(string pinDirectory)
    {
        var directory = Path.GetFullPath(pinDirectory);
        lock (PinDirectoryLock)
        {
            Directory.CreateDirectory(directory);
            if (MountTable.IsMountPoint(directory))
                return;
            Mounts.Mount(directory, directory, null, Mounts.MS_BIND | Mounts.MS_REC, null);
            Mounts.Mount(null, directory, null, Mounts.MS_SHARED | Mounts.MS_REC, null);
        }
    }

    private static void RunOnDedicatedThread(Action action)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        {
            IsBackground = true,
            Name = "caisson-netns",
        };
        thread.Start();
        thread.Join();
        if (failure is CaissonException)
            ExceptionDispatchInfo.Throw(failure);
        if (failure is not null)
            throw CaissonException.Wrap("network namespace", failure);
    }
}
