/**
 * Telling a person's name in running text (刘权牵头, 由环卫处李欢耀负责, 联系人：张春明): the answer to
 * 「组长是谁」「谁具体负责」 is a person, and a sentence naming none does not give it. jieba tags a known
 * name nr, and an unknown one it pieces together from characters x; either counts when it starts with
 * one of China's common surnames, which cover the great majority of people.
 */
import { foldVariants } from './fold.ts';

/** Common single-character surnames (the ~120 most frequent), and compound ones. */
const SURNAMES = new Set(Array.from(
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝',
));
const COMPOUND = /^(?:欧阳|司马|上官|诸葛|东方|皇甫|尉迟|公孙|慕容|令狐|长孙|宇文|司徒|夏侯|轩辕)/u;

/** True when `word` (a jieba word) reads as a person's name: two to four characters after a common surname. */
export function looksLikeName(word: string): boolean {
  const w = foldVariants(word);
  if (!/^[\u4e00-\u9fff]{2,4}$/u.test(w)) return false;
  return COMPOUND.test(w) ? w.length >= 3 : SURNAMES.has(w[0] as string) && w.length <= 3;
}
