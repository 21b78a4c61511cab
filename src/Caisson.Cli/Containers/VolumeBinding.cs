using Caisson.Api.Cri;
using Caisson.Core.Errors;

namespace Caisson.Cli.Containers;

/// <summary>
/// Reads docker's <c>-v HOST_PATH:CONTAINER_PATH[:OPTIONS]</c> into a CRI bind mount. Options, comma separated:
/// ro or rw, a propagation (private, rslave, rshared, ...), z or Z for an SELinux relabel. Named and anonymous
/// volumes have no place in a CRI runtime, so both paths are required; a relative host path is taken from the
/// current directory, as docker does.
/// </summary>
internal static class VolumeBinding
{
    public static Mount Parse(string value, string currentDirectory)
    {
        var parts = value.Split(':');
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0 || parts[1].Length == 0)
            throw new InvalidArgumentException($"-v {value}: want HOST_PATH:CONTAINER_PATH[:ro]");
        var (host, container) = (parts[0], parts[1]);
        if (!host.StartsWith('/') && !host.StartsWith('.'))
        {
            throw new InvalidArgumentException(
                $"-v {value}: \"{host}\" would be a named volume, which caisson does not have; give a host path (/srv/data or ./data)");
        }
        if (!container.StartsWith('/'))
            throw new InvalidArgumentException($"-v {value}: the container path \"{container}\" must be absolute");
        var mount = new Mount { HostPath = Path.GetFullPath(host, currentDirectory), ContainerPath = container };
        if (parts.Length == 3)
            ApplyOptions(value, parts[2], mount);
        return mount;
    }

    private static void ApplyOptions(string value, string options, Mount mount)
    {
        var access = false;
        var propagation = false;
        foreach (var option in options.Split(','))
        {
            switch (option)
            {
                case "ro" or "rw" when !access:
                    mount.Readonly = option == "ro";
                    access = true;
                    break;
                case "z" or "Z":
                    mount.SelinuxRelabel = true;
                    break;
                case "private" or "rprivate" or "slave" or "rslave" or "shared" or "rshared" when !propagation:
                    mount.Propagation = option.TrimStart('r') switch
                    {
                        "slave" => MountPropagation.PropagationHostToContainer,
                        "shared" => MountPropagation.PropagationBidirectional,
                        _ => MountPropagation.PropagationPrivate,
                    };
                    propagation = true;
                    break;
                default:
                    throw new InvalidArgumentException(
                        $"-v {value}: unknown or repeated option \"{option}\"; use ro or rw, one of private, rslave, rshared, and z");
            }
        }
    }
}
