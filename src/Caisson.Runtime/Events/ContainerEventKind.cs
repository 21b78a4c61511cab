namespace Caisson.Runtime.Events;

/// <summary>The CRI's container event types; sandboxes send them too, under the sandbox id, as containerd does.</summary>
public enum ContainerEventKind
{
    Created,
    Started,
    Stopped,
    Deleted,
}
