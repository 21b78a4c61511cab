namespace Caisson.Images.Distribution;

/// <summary>What a request needs to do in a repository; becomes the actions of the token scope.</summary>
internal enum RegistryAccess
{
    Pull,
    Push,
}
