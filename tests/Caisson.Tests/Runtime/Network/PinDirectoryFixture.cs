using Caisson.Runtime.Network;

namespace Caisson.Tests.Runtime.Network;

/// <summary>A pin directory of this test's own under /run, unpinned and unmounted at the end.</summary>
internal sealed class PinDirectoryFixture : IDisposable
{
    public PinDirectoryFixture() =>
        Directory = System.IO.Directory.CreateDirectory($"/run/caisson-test-netns-{Guid.NewGuid():N}").FullName;

    public string Directory { get; }

    public string PinPath(string name) => Path.Combine(Directory, name);

    public void Dispose()
    {
        foreach (var pin in System.IO.Directory.EnumerateFiles(Directory))
            NetworkNamespace.Remove(pin);
        NetworkNamespace.ReleasePinDirectory(Directory);
        System.IO.Directory.Delete(Directory);
    }
}
