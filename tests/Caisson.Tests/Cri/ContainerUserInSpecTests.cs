using System.Text;
using Caisson.Cri.Runtime;

namespace Caisson.Tests.Cri;

// Records written before the resolved user was kept in them report it from config.json.
public sealed class ContainerUserInSpecTests
{
    [Fact]
    public void The_user_comes_from_the_process_section_with_its_groups()
    {
        var user = ContainerStatusInfo.UserInSpec(Encoding.UTF8.GetBytes(
            """{"process":{"user":{"uid":1234,"gid":2345,"additionalGids":[2345,3456]},"args":["sleep"]}}"""));

        Assert.NotNull(user);
        Assert.Equal((1234u, 2345u), (user.Uid, user.Gid));
        Assert.Equal([2345u, 3456u], user.AdditionalGids);
    }

    [Theory]
    [InlineData(null, "no config.json")]
    [InlineData("{", "not JSON")]
    [InlineData("""{"root":{"path":"rootfs"}}""", "no process section")]
    public void An_unreadable_spec_gives_no_user(string? spec, string description)
    {
        Assert.True(ContainerStatusInfo.UserInSpec(spec is null ? null : Encoding.UTF8.GetBytes(spec)) is null, description);
    }
}
