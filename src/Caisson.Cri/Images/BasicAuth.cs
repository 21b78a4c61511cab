using System.Text;
using Caisson.Core.Errors;

namespace Caisson.Cri.Images;

/// <summary>The base64 "user:password" form of docker's and CRI's <c>auth</c> field.</summary>
internal static class BasicAuth
{
    public static (string Username, string Password) Decode(string encoded)
    {
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
        }
        catch (FormatException e)
        {
            throw new InvalidArgumentException("auth is not valid base64 of \"username:password\"", e);
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? throw new InvalidArgumentException("auth does not decode to \"username:password\"")
            : (text[..colon], text[(colon + 1)..]);
    }
}
