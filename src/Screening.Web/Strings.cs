namespace Screening.Web;

/// <summary>Marker for the UI's string resources (Resources/Strings.resx, .fr, .es).</summary>
public sealed class Strings;
