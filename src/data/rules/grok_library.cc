// The built-in grok patterns, written for RE2 (no look-around, no atomic groups, no possessive quantifiers). Names
// follow the grok convention so that patterns people know read as they expect.
#include "data/rules/grok.h"

namespace maas::data::rules {

const std::map<std::string, std::string, std::less<>>& grok_library() {
  static const std::map<std::string, std::string, std::less<>> kLibrary = {
      // Numbers.
      {"INT", R"re([+-]?\d+)re"},
      {"POSINT", R"re(\b[1-9]\d*\b)re"},
      {"NONNEGINT", R"re(\b\d+\b)re"},
      {"NUMBER", R"re([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)re"},
      {"BASE10NUM", R"re(%{NUMBER})re"},
      {"BASE16NUM", R"re((?:0[xX])?[0-9A-Fa-f]+)re"},
      // Words and text.
      {"WORD", R"re(\b\w+\b)re"},
      {"NOTSPACE", R"re(\S+)re"},
      {"SPACE", R"re(\s*)re"},
      {"DATA", R"re(.*?)re"},
      {"GREEDYDATA", R"re(.*)re"},
      {"QUOTEDSTRING", R"re((?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'))re"},
      {"QS", R"re(%{QUOTEDSTRING})re"},
      {"UUID", R"re([0-9A-Fa-f]{8}-(?:[0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12})re"},
      {"USERNAME", R"re([A-Za-z0-9._-]+)re"},
      {"USER", R"re(%{USERNAME})re"},
      {"EMAILLOCALPART", R"re([A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)re"},
      {"EMAILADDRESS", R"re(%{EMAILLOCALPART}@%{HOSTNAME})re"},
      // Networks.
      {"IPV4", R"re((?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d))re"},
      {"IPV6", R"re((?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4})re"
               R"re(|(?:[0-9A-Fa-f]{1,4}:){1,6}:%{IPV4})re"
               R"re(|(?:[0-9A-Fa-f]{1,4}:){1,6}(?::[0-9A-Fa-f]{1,4}){1,6})re"
               R"re(|(?:[0-9A-Fa-f]{1,4}:){1,7}:)re"
               R"re(|::(?:ffff(?::0{1,4})?:)?%{IPV4})re"
               R"re(|:(?::[0-9A-Fa-f]{1,4}){1,7})re"
               R"re(|::))re"},
      {"IP", R"re((?:%{IPV6}|%{IPV4}))re"},
      {"HOSTNAME", R"re(\b[0-9A-Za-z][0-9A-Za-z-]{0,62}(?:\.[0-9A-Za-z][0-9A-Za-z-]{0,62})*\.?\b)re"},
      {"HOST", R"re(%{HOSTNAME})re"},
      {"IPORHOST", R"re((?:%{IP}|%{HOSTNAME}))re"},
      {"HOSTPORT", R"re(%{IPORHOST}:%{POSINT})re"},
      {"MAC", R"re((?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}|(?:[0-9A-Fa-f]{4}\.){2}[0-9A-Fa-f]{4})re"},
      // Paths and URIs.
      {"UNIXPATH", R"re((?:/[\w_%!$@:.,+~-]*)+)re"},
      {"WINPATH", R"re((?:[A-Za-z]+:|\\)(?:\\[^\\?*]*)+)re"},
      {"PATH", R"re((?:%{UNIXPATH}|%{WINPATH}))re"},
      {"URIPROTO", R"re([A-Za-z][A-Za-z0-9+.-]*)re"},
      {"URIHOST", R"re(%{IPORHOST}(?::%{POSINT})?)re"},
      {"URIPATH", R"re((?:/[A-Za-z0-9$.+!*'(){},~:;=@#%&_-]*)+)re"},
      {"URIPARAM", R"re(\?[A-Za-z0-9$.+!*'|(){},~@#%&/=:;_?\[\]<>^-]*)re"},
      {"URIPATHPARAM", R"re(%{URIPATH}(?:%{URIPARAM})?)re"},
      {"URI", R"re(%{URIPROTO}://(?:%{USER}(?::[^@]*)?@)?%{URIHOST}?(?:%{URIPATHPARAM})?)re"},
      // Dates and times.
      {"MONTH",
       R"re(\b(?:[Jj]an(?:uary)?|[Ff]eb(?:ruary)?|[Mm]ar(?:ch)?|[Aa]pr(?:il)?|[Mm]ay|[Jj]une?|[Jj]uly?|[Aa]ug(?:ust)?)re"
       R"re(|[Ss]ep(?:t(?:ember)?)?|[Oo]ct(?:ober)?|[Nn]ov(?:ember)?|[Dd]ec(?:ember)?)\b)re"},
      {"MONTHNUM", R"re((?:0?[1-9]|1[0-2]))re"},
      {"MONTHDAY", R"re((?:3[01]|[12]\d|0?[1-9]))re"},
      {"DAY", R"re((?:Mon(?:day)?|Tue(?:sday)?|Wed(?:nesday)?|Thu(?:rsday)?|Fri(?:day)?|Sat(?:urday)?|Sun(?:day)?))re"},
      {"YEAR", R"re(\d{4}|\d{2})re"},
      {"HOUR", R"re((?:2[0-3]|[01]?\d))re"},
      {"MINUTE", R"re([0-5]\d)re"},
      {"SECOND", R"re((?:60|[0-5]?\d)(?:[.,:]\d+)?)re"},
      {"TIME", R"re(%{HOUR}:%{MINUTE}(?::%{SECOND})?)re"},
      {"ISO8601_TIMEZONE", R"re((?:Z|[+-]%{HOUR}(?::?%{MINUTE})?))re"},
      {"TIMESTAMP_ISO8601",
       R"re(\d{4}-%{MONTHNUM}-%{MONTHDAY}[T ]%{HOUR}:?%{MINUTE}(?::?%{SECOND})?%{ISO8601_TIMEZONE}?)re"},
      {"DATE_US", R"re(%{MONTHNUM}[/-]%{MONTHDAY}[/-]%{YEAR})re"},
      {"DATE_EU", R"re(%{MONTHDAY}[./-]%{MONTHNUM}[./-]%{YEAR})re"},
      {"DATE", R"re((?:%{DATE_US}|%{DATE_EU}))re"},
      {"DATESTAMP", R"re(%{DATE}[- ]%{TIME})re"},
      {"HTTPDATE", R"re(%{MONTHDAY}/%{MONTH}/\d{4}:%{TIME} [+-]\d{4})re"},
      {"SYSLOGTIMESTAMP", R"re(%{MONTH} +%{MONTHDAY} %{TIME})re"},
      // Logs.
      {"LOGLEVEL",
       R"re((?:[Tt]race|TRACE|[Dd]ebug|DEBUG|[Nn]otice|NOTICE|[Ii]nfo(?:rmation)?|INFO|[Ww]arn(?:ing)?|WARN(?:ING)?)re"
       R"re(|[Ee]rr(?:or)?|ERR(?:OR)?|[Cc]rit(?:ical)?|CRIT(?:ICAL)?|[Ff]atal|FATAL|[Ss]evere|SEVERE)re"
       R"re(|[Aa]lert|ALERT|[Ee]merg(?:ency)?|EMERG(?:ENCY)?))re"},
      {"PROG", R"re([\w._/%-]+)re"},
      {"SYSLOGPROG", R"re(%{PROG:program}(?:\[%{POSINT:pid:int}\])?)re"},
      {"SYSLOGHOST", R"re(%{IPORHOST})re"},
      {"SYSLOGLINE",
       R"re(%{SYSLOGTIMESTAMP:timestamp} %{SYSLOGHOST:logsource} %{SYSLOGPROG}: %{GREEDYDATA:message})re"},
      {"HTTPDUSER", R"re((?:%{EMAILADDRESS}|%{USER}))re"},
      {"COMMONAPACHELOG",
       R"re(%{IPORHOST:clientip} %{HTTPDUSER:ident} %{USER:auth} \[%{HTTPDATE:timestamp}\] )re"
       R"re("(?:%{WORD:verb} %{NOTSPACE:request}(?: HTTP/%{NUMBER:httpversion})?|%{DATA:rawrequest})" )re"
       R"re(%{INT:response:int} (?:%{INT:bytes:int}|-))re"},
      {"COMBINEDAPACHELOG", R"re(%{COMMONAPACHELOG} %{QS:referrer} %{QS:agent})re"},
  };
  return kLibrary;
}

}  // namespace maas::data::rules
