import type { Language } from './languages';

/**
 * Every user-facing message, in every supported language. English is the reference shape: the other
 * languages are typed against it, so a message missing from one of them fails the type-check.
 * Placeholders are `{name}` and are filled from the error's arguments.
 */
const en = {
  errors: {
    internal: 'A server error occurred. Please try again later.',
    route_not_found: 'Not found.',
    not_found: 'Not found.',
    method_not_allowed: 'Method not allowed.',
    malformed_body: 'The request body could not be parsed.',
    unsupported_media_type: 'Unsupported media type in request.',
    payload_too_large: 'The request body is too large.',
    validation_failed: 'Some fields are invalid.',
    bad_request: 'The request is invalid.',
    not_authenticated: 'Authentication credentials were not provided.',
    permission_denied: 'You do not have permission to perform this action.',
    throttled: 'Request was throttled. Expected available in {seconds} seconds.',
    conflict: 'The request conflicts with the current state.',
    service_unavailable: 'The service is temporarily unavailable.',
  },
  validation: {
    required: 'This field is required.',
    invalid: 'Enter a valid value.',
    not_string: 'Not a valid string.',
    not_integer: 'A valid integer is required.',
    not_boolean: 'Must be a valid boolean.',
    not_email: 'Enter a valid email address.',
    not_date: 'Date has wrong format. Use YYYY-MM-DD.',
    not_in: 'Not a valid choice. Choose one of: {values}.',
    max_length: 'Ensure this field has no more than {max} characters.',
    min_length: 'Ensure this field has at least {min} characters.',
    min: 'Ensure this value is greater than or equal to {min}.',
    max: 'Ensure this value is less than or equal to {max}.',
    amount_invalid: 'A valid amount is required, such as "20.00".',
    amount_decimals: 'Ensure that there are no more than 2 decimal places.',
    amount_not_positive: 'Ensure this amount is greater than 0.',
    amount_too_large: 'Ensure this amount is not greater than {max}.',
  },
};

export type Messages = typeof en;

const tr: Messages = {
  errors: {
    internal: 'Bir sunucu hatası oluştu. Lütfen daha sonra tekrar deneyin.',
    route_not_found: 'Bulunamadı.',
    not_found: 'Bulunamadı.',
    method_not_allowed: 'Bu yönteme izin verilmiyor.',
    malformed_body: 'İstek gövdesi çözümlenemedi.',
    unsupported_media_type: 'İstekte desteklenmeyen medya türü.',
    payload_too_large: 'İstek gövdesi çok büyük.',
    validation_failed: 'Bazı alanlar geçersiz.',
    bad_request: 'İstek geçersiz.',
    not_authenticated: 'Kimlik doğrulama bilgileri sağlanmadı.',
    permission_denied: 'Bu işlemi yapmak için yetkiniz yok.',
    throttled: 'İstek sınırlandı. {seconds} saniye sonra tekrar deneyin.',
    conflict: 'İstek mevcut durumla çelişiyor.',
    service_unavailable: 'Hizmet geçici olarak kullanılamıyor.',
  },
  validation: {
    required: 'Bu alan zorunludur.',
    invalid: 'Geçerli bir değer girin.',
    not_string: 'Geçerli bir metin değil.',
    not_integer: 'Geçerli bir tam sayı gereklidir.',
    not_boolean: 'Geçerli bir mantıksal değer olmalıdır.',
    not_email: 'Geçerli bir e-posta adresi girin.',
    not_date: 'Tarih biçimi hatalı. YYYY-AA-GG biçimini kullanın.',
    not_in: 'Geçerli bir seçim değil. Şunlardan birini seçin: {values}.',
    max_length: 'Bu alan en fazla {max} karakter olabilir.',
    min_length: 'Bu alan en az {min} karakter olmalıdır.',
    min: 'Bu değer {min} veya daha büyük olmalıdır.',
    max: 'Bu değer {max} veya daha küçük olmalıdır.',
    amount_invalid: '"20.00" gibi geçerli bir tutar gereklidir.',
    amount_decimals: 'En fazla 2 ondalık basamak olabilir.',
    amount_not_positive: 'Tutar 0’dan büyük olmalıdır.',
    amount_too_large: 'Tutar {max} değerinden büyük olamaz.',
  },
};

const de: Messages = {
  errors: {
    internal: 'Ein Serverfehler ist aufgetreten. Bitte versuchen Sie es später erneut.',
    route_not_found: 'Nicht gefunden.',
    not_found: 'Nicht gefunden.',
    method_not_allowed: 'Methode nicht erlaubt.',
    malformed_body: 'Der Anfragetext konnte nicht gelesen werden.',
    unsupported_media_type: 'Nicht unterstützter Medientyp in der Anfrage.',
    payload_too_large: 'Der Anfragetext ist zu groß.',
    validation_failed: 'Einige Felder sind ungültig.',
    bad_request: 'Die Anfrage ist ungültig.',
    not_authenticated: 'Es wurden keine Anmeldedaten angegeben.',
    permission_denied: 'Sie sind nicht berechtigt, diese Aktion durchzuführen.',
    throttled: 'Zu viele Anfragen. Wieder verfügbar in {seconds} Sekunden.',
    conflict: 'Die Anfrage steht im Widerspruch zum aktuellen Zustand.',
    service_unavailable: 'Der Dienst ist vorübergehend nicht verfügbar.',
  },
  validation: {
    required: 'Dieses Feld ist erforderlich.',
    invalid: 'Geben Sie einen gültigen Wert ein.',
    not_string: 'Keine gültige Zeichenkette.',
    not_integer: 'Eine gültige Ganzzahl ist erforderlich.',
    not_boolean: 'Muss ein gültiger Wahrheitswert sein.',
    not_email: 'Geben Sie eine gültige E-Mail-Adresse ein.',
    not_date: 'Das Datum hat ein falsches Format. Verwenden Sie JJJJ-MM-TT.',
    not_in: 'Keine gültige Auswahl. Wählen Sie eines von: {values}.',
    max_length: 'Dieses Feld darf höchstens {max} Zeichen enthalten.',
    min_length: 'Dieses Feld muss mindestens {min} Zeichen enthalten.',
    min: 'Dieser Wert muss größer oder gleich {min} sein.',
    max: 'Dieser Wert muss kleiner oder gleich {max} sein.',
    amount_invalid: 'Ein gültiger Betrag wie "20.00" ist erforderlich.',
    amount_decimals: 'Höchstens 2 Nachkommastellen sind erlaubt.',
    amount_not_positive: 'Der Betrag muss größer als 0 sein.',
    amount_too_large: 'Der Betrag darf nicht größer als {max} sein.',
  },
};

const fr: Messages = {
  errors: {
    internal: 'Une erreur serveur est survenue. Veuillez réessayer plus tard.',
    route_not_found: 'Introuvable.',
    not_found: 'Introuvable.',
    method_not_allowed: 'Méthode non autorisée.',
    malformed_body: 'Le corps de la requête n’a pas pu être analysé.',
    unsupported_media_type: 'Type de média non pris en charge dans la requête.',
    payload_too_large: 'Le corps de la requête est trop volumineux.',
    validation_failed: 'Certains champs ne sont pas valides.',
    bad_request: 'La requête n’est pas valide.',
    not_authenticated: 'Les informations d’authentification n’ont pas été fournies.',
    permission_denied: 'Vous n’avez pas la permission d’effectuer cette action.',
    throttled: 'Trop de requêtes. Réessayez dans {seconds} secondes.',
    conflict: 'La requête est en conflit avec l’état actuel.',
    service_unavailable: 'Le service est temporairement indisponible.',
  },
  validation: {
    required: 'Ce champ est obligatoire.',
    invalid: 'Saisissez une valeur valide.',
    not_string: 'Chaîne de caractères non valide.',
    not_integer: 'Un nombre entier valide est requis.',
    not_boolean: 'Doit être un booléen valide.',
    not_email: 'Saisissez une adresse e-mail valide.',
    not_date: 'La date n’a pas le bon format. Utilisez AAAA-MM-JJ.',
    not_in: 'Choix non valide. Choisissez parmi : {values}.',
    max_length: 'Assurez-vous que ce champ ne comporte pas plus de {max} caractères.',
    min_length: 'Assurez-vous que ce champ comporte au moins {min} caractères.',
    min: 'Assurez-vous que cette valeur est supérieure ou égale à {min}.',
    max: 'Assurez-vous que cette valeur est inférieure ou égale à {max}.',
    amount_invalid: 'Un montant valide est requis, par exemple "20.00".',
    amount_decimals: 'Assurez-vous qu’il n’y a pas plus de 2 décimales.',
    amount_not_positive: 'Assurez-vous que le montant est supérieur à 0.',
    amount_too_large: 'Assurez-vous que le montant ne dépasse pas {max}.',
  },
};

const ru: Messages = {
  errors: {
    internal: 'Произошла ошибка сервера. Повторите попытку позже.',
    route_not_found: 'Не найдено.',
    not_found: 'Не найдено.',
    method_not_allowed: 'Метод не разрешён.',
    malformed_body: 'Не удалось разобрать тело запроса.',
    unsupported_media_type: 'Неподдерживаемый тип данных в запросе.',
    payload_too_large: 'Тело запроса слишком велико.',
    validation_failed: 'Некоторые поля заполнены неверно.',
    bad_request: 'Некорректный запрос.',
    not_authenticated: 'Учётные данные не были предоставлены.',
    permission_denied: 'У вас нет прав для выполнения этого действия.',
    throttled: 'Слишком много запросов. Повторите через {seconds} с.',
    conflict: 'Запрос противоречит текущему состоянию.',
    service_unavailable: 'Сервис временно недоступен.',
  },
  validation: {
    required: 'Это поле обязательно.',
    invalid: 'Введите правильное значение.',
    not_string: 'Недопустимая строка.',
    not_integer: 'Требуется целое число.',
    not_boolean: 'Требуется логическое значение.',
    not_email: 'Введите правильный адрес электронной почты.',
    not_date: 'Неверный формат даты. Используйте ГГГГ-ММ-ДД.',
    not_in: 'Недопустимый вариант. Выберите один из: {values}.',
    max_length: 'Убедитесь, что это поле содержит не более {max} символов.',
    min_length: 'Убедитесь, что это поле содержит не менее {min} символов.',
    min: 'Убедитесь, что значение больше или равно {min}.',
    max: 'Убедитесь, что значение меньше или равно {max}.',
    amount_invalid: 'Требуется корректная сумма, например "20.00".',
    amount_decimals: 'Допускается не более 2 знаков после запятой.',
    amount_not_positive: 'Сумма должна быть больше 0.',
    amount_too_large: 'Сумма не должна превышать {max}.',
  },
};

const ar: Messages = {
  errors: {
    internal: 'حدث خطأ في الخادم. يرجى المحاولة لاحقًا.',
    route_not_found: 'غير موجود.',
    not_found: 'غير موجود.',
    method_not_allowed: 'الطريقة غير مسموح بها.',
    malformed_body: 'تعذر تحليل نص الطلب.',
    unsupported_media_type: 'نوع وسائط غير مدعوم في الطلب.',
    payload_too_large: 'نص الطلب كبير جدًا.',
    validation_failed: 'بعض الحقول غير صالحة.',
    bad_request: 'الطلب غير صالح.',
    not_authenticated: 'لم يتم تقديم بيانات الاعتماد.',
    permission_denied: 'ليس لديك إذن لتنفيذ هذا الإجراء.',
    throttled: 'تم تقييد الطلب. يتاح مجددًا بعد {seconds} ثانية.',
    conflict: 'يتعارض الطلب مع الحالة الحالية.',
    service_unavailable: 'الخدمة غير متاحة مؤقتًا.',
  },
  validation: {
    required: 'هذا الحقل مطلوب.',
    invalid: 'أدخل قيمة صالحة.',
    not_string: 'ليست سلسلة نصية صالحة.',
    not_integer: 'مطلوب عدد صحيح صالح.',
    not_boolean: 'يجب أن تكون قيمة منطقية صالحة.',
    not_email: 'أدخل عنوان بريد إلكتروني صالحًا.',
    not_date: 'تنسيق التاريخ غير صحيح. استخدم YYYY-MM-DD.',
    not_in: 'اختيار غير صالح. اختر أحد: {values}.',
    max_length: 'تأكد من أن هذا الحقل لا يتجاوز {max} حرفًا.',
    min_length: 'تأكد من أن هذا الحقل يحتوي على {min} أحرف على الأقل.',
    min: 'تأكد من أن هذه القيمة أكبر من أو تساوي {min}.',
    max: 'تأكد من أن هذه القيمة أقل من أو تساوي {max}.',
    amount_invalid: 'مطلوب مبلغ صالح مثل "20.00".',
    amount_decimals: 'تأكد من عدم وجود أكثر من منزلتين عشريتين.',
    amount_not_positive: 'تأكد من أن المبلغ أكبر من 0.',
    amount_too_large: 'تأكد من أن المبلغ لا يتجاوز {max}.',
  },
};

export const MESSAGES: Readonly<Record<Language, Messages>> = { tr, en, ar, ru, de, fr };

type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** A dotted key of a message, such as `errors.not_found`; checked at compile time. */
export type MessageKey = Leaves<Messages>;
