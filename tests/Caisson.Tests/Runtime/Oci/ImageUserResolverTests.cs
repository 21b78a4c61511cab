using Caisson.Api.Cri;
using Caisson.Core.Errors;
using Caisson.Runtime.Oci;

namespace Caisson.Tests.Runtime.Oci;

public sealed class ImageUserResolverTests : IDisposable
{
    private readonly SpecTestRootfs rootfs = new();

    public void Dispose() => rootfs.Dispose();

    public static TheoryData<string, long?, string, long?, string?, uint, uint, uint[]> Cases() => new()
    {
        { "nothing: root with root's groups", null, "", null, null, 0, 0, [0, 10] },
        { "image user by name", null, "", null, "alice", 1000, 1000, [1000, 10, 29] },
        { "image uid with passwd entry", null, "", null, "1001", 1001, 1001, [1001, 50] },
        { "image uid:gid", null, "", null, "1000:50", 1000, 50, [50, 10, 29] },
        { "image name:group", null, "", null, "bob:audio", 1001, 29, [29, 50] },
        { "image uid unknown to passwd", null, "", null, "4242", 4242, 0, [0] },
        { "run_as_user beats image", 1001, "", null, "alice", 1001, 1001, [1001, 50] },
        { "run_as_username", null, "alice", null, null, 1000, 1000, [1000, 10, 29] },
        { "run_as_user with run_as_group", 1000, "", 7, null, 1000, 7, [7, 10, 29] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ResolvesLikeContainerd(string description, long? runAsUser, string runAsUsername, long? runAsGroup, string? imageUser, uint uid, uint gid, uint[] groups)
    {
        var security = new LinuxContainerSecurityContext { RunAsUsername = runAsUsername };
        if (runAsUser is { } u)
            security.RunAsUser = new Int64Value { Value = u };
        if (runAsGroup is { } g)
            security.RunAsGroup = new Int64Value { Value = g };
        var user = ImageUserResolver.Resolve(security, imageUser, AccountDatabase.Read(rootfs.Rootfs));
        Assert.True(uid == user.Uid && gid == user.Gid && groups.SequenceEqual(user.AdditionalGids),
            $"{description}: got {user.Uid}:{user.Gid} [{string.Join(",", user.AdditionalGids)}]");
    }

    [Fact]
    public void SupplementalGroupsAreAdded()
    {
        var security = new LinuxContainerSecurityContext { RunAsUser = new Int64Value { Value = 1001 } };
        security.SupplementalGroups.Add(500);
        var user = ImageUserResolver.Resolve(security, null, AccountDatabase.Read(rootfs.Rootfs));
        Assert.Equal([1001u, 50, 500], user.AdditionalGids);
    }

    public static TheoryData<string, long?, string, long?, string?, string> Errors() => new()
    {
        { "unknown username", null, "mallory", null, null, "run_as_username" },
        { "unknown image user", null, "", null, "mallory", "image config User" },
        { "unknown image group", null, "", null, "alice:nogroup", "image config User" },
        { "group without user", null, "", 5, null, "run_as_group" },
        { "negative uid", -1, "", null, null, "run_as_user" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void InvalidRequestsNameTheField(string description, long? runAsUser, string runAsUsername, long? runAsGroup, string? imageUser, string field)
    {
        var security = new LinuxContainerSecurityContext { RunAsUsername = runAsUsername };
        if (runAsUser is { } u)
            security.RunAsUser = new Int64Value { Value = u };
        if (runAsGroup is { } g)
            security.RunAsGroup = new Int64Value { Value = g };
        var error = Assert.Throws<InvalidArgumentException>(() => ImageUserResolver.Resolve(security, imageUser, AccountDatabase.Read(rootfs.Rootfs)));
        Assert.True(error.Message.StartsWith(field, StringComparison.Ordinal), $"{description}: {error.Message}");
    }

    [Fact]
    public void PasswdSymlinkedOutsideTheRootfsIsNotRead()
    {
        using var other = new SpecTestRootfs(withAccounts: false);
        var outside = Path.Combine(rootfs.Directory, "outside-passwd");
        File.WriteAllText(outside, "mallory:x:666:666::/:/bin/sh\n");
        File.CreateSymbolicLink(Path.Combine(other.Rootfs, "etc/passwd"), outside);
        // Through a directory symlink too: /etc/group resolves inside the rootfs, where it does not exist.
        var accounts = AccountDatabase.Read(other.Rootfs);
        Assert.Empty(accounts.Users);
        var error = Assert.Throws<InvalidArgumentException>(() => ImageUserResolver.Resolve(null, "mallory", accounts));
        Assert.Contains("mallory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OversizedPasswdIsIgnored()
    {
        using var other = new SpecTestRootfs(withAccounts: false);
        File.WriteAllText(Path.Combine(other.Rootfs, "etc/passwd"), "big:x:5:5::/:/bin/sh\n" + new string('#', AccountDatabase.MaxFileBytes));
        Assert.Empty(AccountDatabase.Read(other.Rootfs).Users);
    }

    [Fact]
    public void ReadingSmallAccountFilesAllocatesBySizeNotByTheLimit()
    {
        AccountDatabase.Read(rootfs.Rootfs); // warm-up
        var before = GC.GetAllocatedBytesForCurrentThread();
        var accounts = AccountDatabase.Read(rootfs.Rootfs);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.NotNull(accounts.UserNamed("alice"));
        // A buffer of the 1 MiB limit per file went to the large object heap and forced a full GC every second
        // CreateContainer. A few KiB of files now take a few KiB, and none of it reaches the LOH (85,000 bytes).
        Assert.True(allocated < 64 * 1024, $"reading two small files allocated {allocated} bytes");
    }
}
