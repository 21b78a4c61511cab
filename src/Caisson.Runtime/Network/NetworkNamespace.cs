using Caisson.Linux.Interop;

namespace Caisson.Runtime.Network;

/// <summary>Network namespaces pinned by a bind mount onto a file (see <see cref="NamespacePin"/>).</summary>
internal static class NetworkNamespace
{
    /// <summary>Creates a new network namespace and pins it at <c>pinDirectory/name</c>; returns the pin path.</summary>
    public static string Create(string pinDirectory, string name) =>
        NamespacePin.CreateNew(pinDirectory, [new NamespacePin.Request(name, "net")], Namespaces.CLONE_NEWNET)[0];

    /// <summary>Unpins and deletes <paramref name="pinPath"/>; a pin already gone is not an error.</summary>
    public static void Remove(string pinPath) => NamespacePin.Remove(pinPath);

    /// <summary>True when <paramref name="pinPath"/> is a pinned network namespace (not merely a leftover file).</summary>
    public static bool Exists(string pinPath) => NamespacePin.Exists(pinPath);

    /// <summary>Runs <paramref name="action"/> on a new thread that has entered the namespace pinned at <paramref name="pinPath"/>.</summary>
    public static T RunInside<T>(string pinPath, Func<T> action) =>
        NamespacePin.RunInside(pinPath, Namespaces.CLONE_NEWNET, action);

    public static void RunInside(string pinPath, Action action) =>
        RunInside(pinPath, () =>
        {
            action();
            return true;
        });

    /// <summary>Unmounts the pin directory's own bind mount (its pins must be removed first).</summary>
    public static void ReleasePinDirectory(string pinDirectory) => NamespacePin.ReleasePinDirectory(pinDirectory);
}
