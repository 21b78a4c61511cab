using Caisson.Core.Errors;
using Caisson.Runtime.Network;

namespace Caisson.Tests.Runtime.Network;

[Trait("Category", "Privileged")]
public sealed class NetworkNamespaceTests : IDisposable
{
    private readonly PinDirectoryFixture _pins = new();

    [Fact]
    public void A_created_namespace_is_pinned_and_outlives_the_thread_that_made_it()
    {
        var pin = NetworkNamespace.Create(_pins.Directory, "pod-a");

        Assert.Equal(_pins.PinPath("pod-a"), pin);
        Assert.True(NetworkNamespace.Exists(pin));
        Assert.True(MountTable.IsMountPoint(pin));
        // The creating thread is gone; the namespace is still there and is not ours.
        var devices = NetworkNamespace.RunInside(pin, () => File.ReadAllText("/proc/thread-self/net/dev"));
        Assert.NotEqual(CurrentNamespace(), NamespaceOf(pin));
        // A fresh namespace holds only its loopback device.
        Assert.Contains("lo:", devices, StringComparison.Ordinal);
        Assert.Equal(3, devices.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Two_namespaces_are_distinct()
    {
        var a = NetworkNamespace.Create(_pins.Directory, "a");
        var b = NetworkNamespace.Create(_pins.Directory, "b");

        Assert.NotEqual(NamespaceOf(a), NamespaceOf(b));
    }

    [Fact]
    public void Remove_unmounts_and_deletes_the_pin_and_is_idempotent()
    {
        var pin = NetworkNamespace.Create(_pins.Directory, "gone");

        NetworkNamespace.Remove(pin);
        NetworkNamespace.Remove(pin);

        Assert.False(File.Exists(pin));
        Assert.False(NetworkNamespace.Exists(pin));
        Assert.DoesNotContain(MountTable.MountPoints(), m => m.StartsWith(pin, StringComparison.Ordinal));
    }

    [Fact]
    public void Creating_a_taken_name_fails_and_keeps_the_existing_pin()
    {
        var pin = NetworkNamespace.Create(_pins.Directory, "taken");

        Assert.Throws<AlreadyExistsException>(() => NetworkNamespace.Create(_pins.Directory, "taken"));
        Assert.True(NetworkNamespace.Exists(pin));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("a/b", "a path, not a name")]
    [InlineData("..", "the parent directory")]
    public void Names_that_are_not_plain_file_names_are_refused(string name, string description)
    {
        Assert.NotNull(description);
        Assert.Throws<InvalidArgumentException>(() => NetworkNamespace.Create(_pins.Directory, name));
    }

    [Fact]
    public void The_pin_directory_is_a_shared_mount_of_its_own()
    {
        NetworkNamespace.Create(_pins.Directory, "x");

        var line = File.ReadLines("/proc/self/mountinfo").Single(l => l.Split(' ')[4] == _pins.Directory);
        Assert.Contains("shared:", line, StringComparison.Ordinal);
    }

    [Fact]
    public void RunInside_does_not_move_the_calling_thread()
    {
        var pin = NetworkNamespace.Create(_pins.Directory, "stay");
        var before = CurrentNamespace();

        var inside = NamespaceOf(pin);

        Assert.NotEqual(before, inside);
        Assert.Equal(before, CurrentNamespace());
    }

    public void Dispose() => _pins.Dispose();

    /// <summary>The thread's own network namespace id, "net:[inode]".</summary>
    private static string CurrentNamespace() => new FileInfo("/proc/thread-self/ns/net").LinkTarget!;

    private static string NamespaceOf(string pin) => NetworkNamespace.RunInside(pin, CurrentNamespace);
}
