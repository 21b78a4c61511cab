using Caisson.Api.Cri;
using Caisson.Core.Errors;

namespace Caisson.Runtime.Oci;

/// <summary>The process identity a container runs with (kept in its record, where ContainerStatus reports it).</summary>
public sealed record ResolvedUser(uint Uid, uint Gid, IReadOnlyList<uint> AdditionalGids);

/// <summary>
/// Turns the CRI run_as_* fields, or else the image's User ("name", "uid", "uid:gid", "name:group"), into uid, gid
/// and supplementary groups using the image's own /etc/passwd and /etc/group, as containerd does.
/// </summary>
internal static class ImageUserResolver
{
    public static ResolvedUser Resolve(LinuxContainerSecurityContext? security, string? imageUser, AccountDatabase accounts)
    {
        var (userSpec, groupSpec, field) = ChooseUser(security, imageUser);
        var (uid, primaryGid, userName) = ResolveUserPart(userSpec, accounts, field);
        var gid = groupSpec is null ? primaryGid : ResolveGroupPart(groupSpec, accounts, field);

        var groups = new List<uint> { gid };
        if (userName is not null)
        {
            foreach (var group in accounts.Groups)
            {
                if (group.Members.Contains(userName, StringComparer.Ordinal))
                    groups.Add(group.Gid);
            }
        }

        foreach (var supplemental in security?.SupplementalGroups ?? [])
            groups.Add(ToId(supplemental, "supplemental_groups"));

        return new ResolvedUser(uid, gid, groups.Distinct().ToList());
    }

    private static (string? User, string? Group, string Field) ChooseUser(LinuxContainerSecurityContext? security, string? imageUser)
    {
        string? user = null;
        var field = "image config User";
        if (security?.RunAsUser is { } runAsUser)
        {
            user = ToId(runAsUser.Value, "run_as_user").ToString(System.Globalization.CultureInfo.InvariantCulture);
            field = "run_as_user";
        }

        if (!string.IsNullOrEmpty(security?.RunAsUsername))
        {
            user = security.RunAsUsername;
            field = "run_as_username";
        }

        if (security?.RunAsGroup is { } runAsGroup)
        {
            if (user is null)
                throw new InvalidArgumentException("run_as_group is set without run_as_user or run_as_username");
            return (user, ToId(runAsGroup.Value, "run_as_group").ToString(System.Globalization.CultureInfo.InvariantCulture), "run_as_group");
        }

        if (user is not null)
            return (user, null, field);
        if (string.IsNullOrEmpty(imageUser))
            return (null, null, field);
        var colon = imageUser.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (imageUser, null, field) : (imageUser[..colon], imageUser[(colon + 1)..], field);
    }

    private static (uint Uid, uint Gid, string? Name) ResolveUserPart(string? user, AccountDatabase accounts, string field)
    {
        if (string.IsNullOrEmpty(user))
            return (0, 0, accounts.UserWithId(0)?.Name);
        if (uint.TryParse(user, out var uid))
        {
            var entry = accounts.UserWithId(uid);
            return (uid, entry?.Gid ?? 0, entry?.Name);
        }

        var named = accounts.UserNamed(user)
            ?? throw new InvalidArgumentException($"{field}: user \"{user}\" is not in the image's /etc/passwd");
        return (named.Uid, named.Gid, named.Name);
    }

    private static uint ResolveGroupPart(string group, AccountDatabase accounts, string field)
    {
        if (uint.TryParse(group, out var gid))
            return gid;
        if (group.Length == 0)
            throw new InvalidArgumentException($"{field}: empty group");
        return accounts.GroupNamed(group)?.Gid
            ?? throw new InvalidArgumentException($"{field}: group \"{group}\" is not in the image's /etc/group");
    }

    private static uint ToId(long value, string field) =>
        value is >= 0 and <= uint.MaxValue - 1
            ? (uint)value
            : throw new InvalidArgumentException($"{field}: {value} is not a valid id");
}
