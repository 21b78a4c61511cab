namespace Caisson.Tests.Runtime.Network;

/// <summary>
/// CNI tests share the host's iptables and link table, and some compare them before and after: run them one class
/// at a time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class CniTestCollection
{
    public const string Name = "CNI on the host";
}
